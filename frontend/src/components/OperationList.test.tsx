import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { OperationList } from './OperationList';
import type { OperationGroup } from '../api';
import { OPS_PAGE } from '../lib/operations';

afterEach(cleanup);

const many = (n: number, title = 'Actions') =>
  ({ title, operations: Array.from({ length: n }, (_, i) => ({ id: `Op${i}`, method: 'GET', path: `/things/${i}`, summary: `Thing ${i}`, parameters: [] })) }) as unknown as OperationGroup;

const rendered = () => document.querySelectorAll('[data-operation]').length;

describe('OperationList', () => {
  it('renders every operation of a small connector, with no "show more"', () => {
    render(<OperationList groups={[many(12), many(3, 'Triggers')]} />);
    expect(rendered()).toBe(15);
    expect(screen.queryByTestId('ops-more')).toBeNull();
  });
  it('renders a page of a large connector and more on request, headers keeping the full counts', () => {
    render(<OperationList groups={[many(150), many(38, 'References')]} />);
    expect(rendered()).toBe(OPS_PAGE);
    expect(document.querySelector('.op-group h3')?.textContent).toContain('(150)');
    const more = screen.getByTestId('ops-more');
    expect(more.textContent).toContain(`of ${188 - OPS_PAGE} operations`);
    while (screen.queryByTestId('ops-more')) fireEvent.click(screen.getByTestId('ops-more'));
    expect(rendered()).toBe(188);
    expect([...document.querySelectorAll('.op-group h3')].map((h) => h.textContent)).toEqual(['Actions (150)', 'References (38)']);
  });
  it('filters over all operations, not only the rendered ones', () => {
    render(<OperationList groups={[many(150)]} />);
    fireEvent.change(screen.getByLabelText('Filter operations'), { target: { value: '/things/149' } });
    expect([...document.querySelectorAll('[data-operation]')].map((e) => e.getAttribute('data-operation'))).toEqual(['Op149']);
    expect(screen.queryByTestId('ops-more')).toBeNull();
  });
});
