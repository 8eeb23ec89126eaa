import { useState } from 'react';
import { AcceptInvitationPage } from './pages/accept-invitation-page';
import { HomePage } from './pages/home-page';
import { LoginPage } from './pages/login-page';
import { SignUpPage } from './pages/sign-up-page';
import { VerifyEmailPage } from './pages/verify-email-page';
import { usePathname } from './routing';
import { useHasSession } from './session/session-context';

export function App() {
  const pathname = usePathname();
  const hasSession = useHasSession();
  const [isSigningUp, setSigningUp] = useState(false);

  let page;
  if (pathname === '/verify-email') page = <VerifyEmailPage />;
  else if (pathname === '/accept-invitation') page = <AcceptInvitationPage />;
  else if (hasSession) page = <HomePage />;
  else if (isSigningUp) page = <SignUpPage onLogIn={() => setSigningUp(false)} />;
  else page = <LoginPage onSignUp={() => setSigningUp(true)} />;

  return (
    <main>
      <h1>Gatehouse</h1>
      {page}
    </main>
  );
}
