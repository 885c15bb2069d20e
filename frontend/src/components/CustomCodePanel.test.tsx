import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { CustomCodePanel } from './CustomCodePanel';
import { setBackend } from '../api';
import { fakeBackend, sampleScript, sampleView } from '../test/fixtures';
import { editorText, setEditor } from '../test/editor';

const c = { ...sampleView, customCode: { file: '/c/contoso/script.csx', size: 200 } } as never;

// The editors load CodeMirror lazily; load it once up front.
beforeAll(() => import('./CodeEditor'), 30000);

describe('CustomCodePanel', () => {
  it('saves, lists compile errors at script.csx:line:col, and runs an operation once', async () => {
    const saved = vi.fn();
    setBackend(
      fakeBackend({
        saveScript: async (_p, source) => {
          saved(source);
          return { ...sampleScript(), source, compile: { file: '/c/contoso/script.csx', available: true, ok: false, kind: 'syntax', diagnostics: [{ file: '/c/contoso/script.csx', line: 3, col: 5, severity: 'error', code: 'CS1525', message: 'Unexpected symbol' }], took: 0, cached: false } };
        },
      }),
    );
    const notify = vi.fn();
    render(<CustomCodePanel c={c} onError={(e) => { throw e; }} onNotify={notify} />);
    expect((await screen.findByTestId('compile-state')).textContent).toContain('compiles');
    expect(await editorText('script.csx')).toContain('ExecuteAsync');
    const save = screen.getByRole('button', { name: /Save & compile/ }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await setEditor('script.csx', 'public class Script : ScriptBase {\n\n    x = ;\n}');
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await vi.waitFor(() => expect(saved).toHaveBeenCalledWith('public class Script : ScriptBase {\n\n    x = ;\n}'));
    const problems = await screen.findByTestId('compile-problems');
    expect(problems.textContent).toContain('script.csx:3:5');
    expect(problems.textContent).toContain('CS1525');
    expect(screen.getByTestId('compile-state').textContent).toContain('1 compile error');
    expect(notify).toHaveBeenCalledWith(expect.stringContaining('keep the last good version'));
    fireEvent.click(screen.getByRole('button', { name: /Run once/ }));
    const run = await screen.findByTestId('script-run');
    expect(run.textContent).toContain('Request before the code');
    expect(run.textContent).toContain('SendAsync 1: request after the code');
    expect(run.textContent).toContain('"added":true');
    expect(screen.getByTestId('script-logs').textContent).toContain('reshaped the body');
  });
  it('says how to install the host when it is missing', async () => {
    setBackend(fakeBackend({ script: async () => ({ ...sampleScript(), compile: { file: 'x', available: false, ok: true, installHint: 'sudo apt-get install -y mono-devel', diagnostics: [], took: 0, cached: false } }) }));
    render(<CustomCodePanel c={c} onError={(e) => { throw e; }} onNotify={() => undefined} />);
    const note = await screen.findByTestId('host-missing');
    expect(note.textContent).toContain('apt-get install');
    expect((screen.getByRole('button', { name: /Run once/ }) as HTMLButtonElement).disabled).toBe(true);
  });
});
