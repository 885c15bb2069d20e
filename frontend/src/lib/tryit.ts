import type { OperationView, ParamView } from '../api';

export const paramKey = (p: ParamView) => `${p.in}:${p.name}`;

// visibleParams hides internal parameters (the portal does too) unless they
// are required without a default, which a caller must still fill.
export function visibleParams(op: OperationView): ParamView[] {
  return op.parameters.filter((p) => p.visibility !== 'internal' || (p.required && p.default === undefined));
}

// initialValues fills defaults, and the single value of a one-entry enum.
export function initialValues(op: OperationView): Record<string, string> {
  const v: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.default !== undefined && p.default !== null) v[paramKey(p)] = String(p.default);
    else if (p.enum && p.enum.length === 1) v[paramKey(p)] = String(p.enum[0]);
  }
  return v;
}

// missingRequired lists the labels of required parameters left empty.
export function missingRequired(op: OperationView, values: Record<string, string>): string[] {
  return op.parameters.filter((p) => p.required && !(values[paramKey(p)] ?? '').trim()).map((p) => p.label || p.name);
}

// bodyError says why body is not valid JSON, or '' when it is (or empty).
export function bodyError(body: string): string {
  if (!body.trim()) return '';
  try {
    JSON.parse(body);
    return '';
  } catch (e) {
    return `The body is not valid JSON: ${(e as Error).message}`;
  }
}

// inputKind picks the form control for a parameter.
export function inputKind(p: ParamView): 'select' | 'boolean' | 'number' | 'dynamic' | 'text' {
  if (p.dynamic && p.dynamic.operationId) return 'dynamic';
  if (p.enum && p.enum.length > 0) return 'select';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'integer' || p.type === 'number') return 'number';
  return 'text';
}
