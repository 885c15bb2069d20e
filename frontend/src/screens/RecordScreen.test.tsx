import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { RecordScreen } from './RecordScreen';
import { setBackend } from '../api';
import { fakeBackend, sampleView } from '../test/fixtures';

describe('RecordScreen', () => {
  it('starts a recording with parameters typed in the window and forgets them on stop', async () => {
    const withParams = { ...sampleView, auth: { kind: 'apiKey', sets: [{ kind: 'apiKey', parameters: [{ name: 'api_key', type: 'securestring', required: true }] }] } } as any;
    const start = vi.fn(fakeBackend().recordStart);
    setBackend(fakeBackend({ recordStart: start }));
    render(<RecordScreen current={withParams} onError={(e) => { throw e; }} />);
    const secret = screen.getByLabelText('Connection parameter api_key') as HTMLInputElement;
    expect(secret.type).toBe('password');
    fireEvent.change(secret, { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByTestId('proxy-url');
    expect(start.mock.calls[0][0].params).toEqual({ api_key: 's3cret' });
    expect(start.mock.calls[0][0].upstream).toBe('https://api.contoso.example/v1');
    fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    await screen.findByTestId('record-summary');
    expect((screen.getByLabelText('Connection parameter api_key') as HTMLInputElement).value).toBe('');
    expect(await screen.findByTestId('sessions')).toBeTruthy();
  });
});
