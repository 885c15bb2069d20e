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

describe('RecordScreen sessions', () => {
  it('renames, exports as JSON and imports a session through the bound methods', async () => {
    const renameSession = vi.fn(fakeBackend().renameSession);
    const exportSession = vi.fn(fakeBackend().exportSession);
    const importSession = vi.fn(fakeBackend().importSession);
    setBackend(fakeBackend({ renameSession, exportSession, importSession }));
    render(<RecordScreen current={sampleView} onError={(e) => { throw e; }} />);
    await screen.findByTestId('sessions');
    fireEvent.click(screen.getByRole('button', { name: 'Rename session s1' }));
    fireEvent.change(screen.getByLabelText('New name for s1'), { target: { value: 'golden' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Renamed to golden');
    expect(renameSession).toHaveBeenCalledWith(1, 'golden');
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    await screen.findByText('JSON written to /tmp/s1.json');
    expect(exportSession).toHaveBeenCalledWith(1, 'json', '');
    fireEvent.change(screen.getByLabelText('Import file'), { target: { value: '/tmp/x.har' } });
    fireEvent.change(screen.getByLabelText('Imported session name'), { target: { value: 'again' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await screen.findByText('Imported 3 exchanges into again');
    expect(importSession).toHaveBeenCalledWith('/tmp/x.har', 'again', 'Contoso Orders');
  });
});
