import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

/** Email and password, shared by login and sign-up; `children` adds fields or links below them. */
export function CredentialsForm({ title, submitLabel, isNewPassword, isBusy, onSubmit, children }: {
  readonly title: string;
  readonly submitLabel: string;
  readonly isNewPassword: boolean;
  readonly isBusy: boolean;
  readonly onSubmit: (credentials: Credentials) => void;
  readonly children?: ReactNode;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ email: email.trim(), password });
  };
  return (
    <form onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" value={email} onChange={(event) => setEmail(event.target.value)} required />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={isNewPassword ? 'new-password' : 'current-password'}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
      </label>
      {children}
      <button type="submit" disabled={isBusy}>
        {submitLabel}
      </button>
    </form>
  );
}
