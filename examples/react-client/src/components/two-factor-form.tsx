import { useState } from 'react';
import type { FormEvent } from 'react';

/** The TwoFactorRequired step: a code from the authenticator app, or a recovery code. */
export function TwoFactorForm({ onSubmit, isBusy }: { readonly onSubmit: (code: string) => void; readonly isBusy: boolean }) {
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(code.trim());
  };
  return (
    <form onSubmit={submit} aria-label="Two-factor code">
      <h2>Two-factor authentication</h2>
      <label>
        Code from your authenticator app, or a recovery code
        <input name="code" autoComplete="one-time-code" value={code} onChange={(event) => setCode(event.target.value)} required />
      </label>
      <button type="submit" disabled={isBusy}>
        Verify
      </button>
    </form>
  );
}
