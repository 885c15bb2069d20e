import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { NewConnector, requestFor } from './NewConnector';
import { setBackend } from '../api';
import { fakeBackend, samplePreview } from '../test/fixtures';

describe('requestFor', () => {
  it('maps the picked source onto the Go form', () => {
    expect(requestFor('file', ' /a.json ', '', '', 'apikey', false)).toMatchObject({ from: '/a.json', auth: 'apikey' });
    expect(requestFor('blank', '', '', 'Mine', '', false)).toMatchObject({ from: 'blank', name: 'Mine', auth: undefined });
    expect(requestFor('session', '', '#3', '', 'aad', true)).toMatchObject({ from: '', session: '#3', servicePrincipal: true });
    expect(requestFor('session', '', '#3', '', 'basic', true).servicePrincipal).toBeUndefined();
  });
});

describe('NewConnector', () => {
  it('previews a file with its findings (ID, location, level) and saves into the folder, then opens it', async () => {
    const preview = vi.fn(async (req: { from: string }) => samplePreview(req.from));
    const save = vi.fn(async (dir: string) => dir);
    setBackend(fakeBackend({ newConnectorPreview: preview as never, newConnectorSave: save }));
    const onSaved = vi.fn(async () => undefined);
    render(<NewConnector onSaved={onSaved} onError={() => undefined} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Source file'), { target: { value: '/src/pets.openapi3.json' } });
    await screen.findByRole('option', { name: 'aad' });
    fireEvent.change(screen.getByLabelText('Authentication'), { target: { value: 'apikey' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByTestId('new-connector-preview');
    expect(preview).toHaveBeenCalledWith(expect.objectContaining({ from: '/src/pets.openapi3.json', auth: 'apikey' }));
    expect(screen.getByText('create-oneof-approximated')).toBeTruthy();
    expect(screen.getByText('pets.openapi3.json:12:9')).toBeTruthy();
    expect(screen.getByText('Fix: review the merged schema')).toBeTruthy();
    expect(screen.getByText('1 warnings')).toBeTruthy();
    expect(screen.getByText('ListPets')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Save in folder'), { target: { value: '/out/pets' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save connector' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('/out/pets'));
    expect(save).toHaveBeenCalledWith('/out/pets', false);
  });

  it('a changed form drops the stale preview', async () => {
    setBackend(fakeBackend());
    render(<NewConnector onSaved={async () => undefined} onError={() => undefined} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Source file'), { target: { value: '/a.json' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByTestId('new-connector-preview');
    fireEvent.change(screen.getByLabelText('Connector name'), { target: { value: 'Other' } });
    await waitFor(() => expect(screen.queryByTestId('new-connector-preview')).toBeNull());
    expect(screen.queryByLabelText('Save in folder')).toBeNull();
  });

  it('learns from a recording session', async () => {
    const preview = vi.fn(async () => samplePreview('s1'));
    setBackend(fakeBackend({ newConnectorPreview: preview as never }));
    render(<NewConnector onSaved={async () => undefined} onError={() => undefined} onClose={() => undefined} />);
    fireEvent.click(screen.getByLabelText(/A recording/));
    await screen.findByRole('option', { name: /s1 · Contoso Orders · 2 exchanges/ });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(preview).toHaveBeenCalledWith(expect.objectContaining({ session: '#1', from: '' })));
  });

  it('reports a failed preview as an error with the fix', async () => {
    const err = { message: '--from /nope.json: no such file or directory', fix: 'pass an OpenAPI, Swagger, Postman or HAR file' };
    setBackend(fakeBackend({ newConnectorPreview: async () => Promise.reject(err) }));
    const onError = vi.fn();
    render(<NewConnector onSaved={async () => undefined} onError={onError} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Source file'), { target: { value: '/nope.json' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(onError).toHaveBeenCalledWith(err));
    expect(screen.queryByTestId('new-connector-preview')).toBeNull();
  });

  it('Choose… fills the path from the file dialog', async () => {
    setBackend(fakeBackend());
    render(<NewConnector onSaved={async () => undefined} onError={() => undefined} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: /Choose…/ }));
    await waitFor(() => expect((screen.getByLabelText('Source file') as HTMLInputElement).value).toBe('/src/pets.openapi3.json'));
  });
});
