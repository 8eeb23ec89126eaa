import { useState } from 'react';
import type { FormEvent } from 'react';

/** The name of an account to start; `onCreate` resolves once the tab is in it (and rejects when it was refused). */
export function NewAccountForm({ onCreate, isBusy }: { readonly onCreate: (name: string) => Promise<void>; readonly isBusy: boolean }) {
  const [name, setName] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCreate(name.trim()).then(
      () => setName(''),
      () => undefined,
    );
  };
  return (
    <form onSubmit={submit} aria-label="Create account" className="new-account">
      <label>
        New account name
        <input name="accountName" value={name} onChange={(event) => setName(event.target.value)} required />
      </label>
      <button type="submit" disabled={isBusy}>
        Create account
      </button>
    </form>
  );
}
