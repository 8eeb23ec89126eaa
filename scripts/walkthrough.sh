#!/usr/bin/env bash
# Gatehouse's login journey from a terminal, with curl and jq: sign up, read the verification mail,
# verify, join a second account (a teammate invites you), log in and choose an account, ask `me`,
# switch account, refresh, log out, and see the logged-out tokens refused.
#
# Needs a development server (`npm start`: NODE_ENV unset or development, no SMTP_URL), which keeps
# mail in its outbox and lists it at GET /dev/outbox to requests from this machine.
#   bash scripts/walkthrough.sh                          # against http://localhost:4000
#   BASE_URL=http://localhost:4001 bash scripts/walkthrough.sh
# Each run signs up two new users: SIGN_UP_IP_MAX (20 an hour by default) allows ten runs an hour.
set -euo pipefail

BASE_URL="${BASE_URL:-http://localhost:4000}"
RUN_ID="$(date +%s)-$$"
YOU="you.${RUN_ID}@example.com"
TEAMMATE="teammate.${RUN_ID}@example.com"
PASSWORD='correct horse battery staple'

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "This walkthrough needs $tool (Debian: apt-get install $tool)." >&2; exit 1; }
done
curl -sSf "$BASE_URL/healthz" >/dev/null || { echo "No Gatehouse answers at $BASE_URL: start one with npm start, or set BASE_URL." >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }

# POSTs one GraphQL operation and prints the whole answer: gql_answer QUERY [VARIABLES] [ACCESS_TOKEN]
gql_answer() {
  local variables="${2:-}" body
  [ -n "$variables" ] || variables='{}'
  body="$(jq -nc --arg query "$1" --argjson variables "$variables" '{query: $query, variables: $variables}')"
  curl -sS "$BASE_URL/graphql" -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} -d "$body"
}

# The same, for operations that must succeed: prints .data, or the errors and stops the script.
gql() {
  local answer
  answer="$(gql_answer "$@")"
  if jq -e '.errors' <<<"$answer" >/dev/null; then
    echo "GraphQL error: $(jq -c '.errors' <<<"$answer")" >&2
    exit 1
  fi
  jq -c '.data' <<<"$answer"
}

# The token of the newest mailed link to ADDRESS whose path is PAGE: mailed_token ADDRESS PAGE
mailed_token() {
  local outbox link
  outbox="$(curl -sSf "$BASE_URL/dev/outbox?limit=20")" || {
    echo "No development outbox at $BASE_URL/dev/outbox: start the server with NODE_ENV=development (the default) and no SMTP_URL." >&2
    exit 1
  }
  link="$(jq -r --arg to "$1" --arg page "/$2?token=" \
    'first(.messages[] | select(.to == $to) | .links[] | select(contains($page))) // empty' <<<"$outbox")"
  [ -n "$link" ] || { echo "No $2 link mailed to $1 in the outbox." >&2; exit 1; }
  echo "${link#*token=}"
}

AUTH_PAYLOAD='accessToken refreshToken role account { id name } user { email emailVerified }'

step "1. Sign up as $YOU: a session in your own new account, as guest until the address is verified"
signed_up="$(gql "mutation (\$input: SignUpInput!) { signUp(input: \$input) { $AUTH_PAYLOAD } }" \
  "$(jq -nc --arg email "$YOU" --arg password "$PASSWORD" '{input: {email: $email, password: $password, accountName: "Your own"}}')")"
jq '.signUp | {role, account: .account.name, user}' <<<"$signed_up"
YOUR_ACCESS_TOKEN="$(jq -r '.signUp.accessToken' <<<"$signed_up")"

step "2. Read the verification mail in the development outbox (GET /dev/outbox; npm run outbox shows the same)"
curl -sS "$BASE_URL/dev/outbox?limit=20" | jq --arg to "$YOU" '[.messages[] | select(.to == $to)] | first | {to, subject, links}'
VERIFICATION_TOKEN="$(mailed_token "$YOU" verify-email)"

step "3. Verify the address with the mailed token: you become owner of your account"
gql 'mutation ($token: String!) { verifyEmail(token: $token) { email emailVerified } }' \
  "$(jq -nc --arg token "$VERIFICATION_TOKEN" '{token: $token}')" | jq '.verifyEmail'

step "4. A teammate signs up, verifies, and invites you to their account: now you belong to two"
teammate="$(gql "mutation (\$input: SignUpInput!) { signUp(input: \$input) { $AUTH_PAYLOAD } }" \
  "$(jq -nc --arg email "$TEAMMATE" --arg password "$PASSWORD" '{input: {email: $email, password: $password, accountName: "Team"}}')")"
TEAMMATE_ACCESS_TOKEN="$(jq -r '.signUp.accessToken' <<<"$teammate")"
TEAM_ACCOUNT_ID="$(jq -r '.signUp.account.id' <<<"$teammate")"
TEAMMATE_VERIFICATION_TOKEN="$(mailed_token "$TEAMMATE" verify-email)"
gql 'mutation ($token: String!) { verifyEmail(token: $token) { emailVerified } }' \
  "$(jq -nc --arg token "$TEAMMATE_VERIFICATION_TOKEN" '{token: $token}')" >/dev/null
gql 'mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { email role status } }' \
  "$(jq -nc --arg account "$TEAM_ACCOUNT_ID" --arg email "$YOU" '{input: {accountId: $account, email: $email, role: "member"}}')" \
  "$TEAMMATE_ACCESS_TOKEN" | jq '.inviteMember'
# Accepting takes your session: an invitation is good only for the verified address it was mailed to.
INVITATION_TOKEN="$(mailed_token "$YOU" accept-invitation)"
gql 'mutation ($token: String!) { acceptInvitation(token: $token) { role account { name } } }' \
  "$(jq -nc --arg token "$INVITATION_TOKEN" '{token: $token}')" \
  "$YOUR_ACCESS_TOKEN" | jq '.acceptInvitation'

step "5. Log in. One account: tokens at once. Several: a selection token and the list to choose from"
login="$(gql "mutation (\$input: LoginInput!) { login(input: \$input) { __typename
    ... on AuthPayload { $AUTH_PAYLOAD }
    ... on AccountSelectionRequired { selectionToken lastAccountId accounts { id name role } }
    ... on TwoFactorRequired { challengeToken } } }" \
  "$(jq -nc --arg email "$YOU" --arg password "$PASSWORD" '{input: {email: $email, password: $password}}')")"
case "$(jq -r '.login.__typename' <<<"$login")" in
  AuthPayload)
    session="$(jq -c '.login' <<<"$login")"
    ;;
  AccountSelectionRequired)
    jq '.login | {accounts, lastAccountId}' <<<"$login"
    step "6. Choose the team's account with the selection token (single use, SELECTION_TOKEN_TTL_SECONDS)"
    choice="$(jq -nc --arg selection "$(jq -r '.login.selectionToken' <<<"$login")" --arg account "$TEAM_ACCOUNT_ID" \
      '{input: {selectionToken: $selection, accountId: $account}}')"
    session="$(gql "mutation (\$input: SelectAccountInput!) { selectAccount(input: \$input) { __typename ... on AuthPayload { $AUTH_PAYLOAD } } }" \
      "$choice" | jq -c '.selectAccount')"
    ;;
  TwoFactorRequired)
    echo "This user has 2FA on: finish with verifyTwoFactor(challengeToken, code), which this walkthrough does not cover." >&2
    exit 1
    ;;
esac
jq '{role, account: .account.name}' <<<"$session"
ACCESS_TOKEN="$(jq -r '.accessToken' <<<"$session")"
REFRESH_TOKEN="$(jq -r '.refreshToken' <<<"$session")"

step "7. Who am I, and where? (the access token, as Authorization: Bearer)"
gql '{ me { email memberships { role account { name } } } currentSession { role account { name } expiresAt } }' '{}' "$ACCESS_TOKEN" | jq '.'

step "8. Switch to your own account: a new session there, and the one you leave ends"
YOUR_ACCOUNT_ID="$(jq -r '.signUp.account.id' <<<"$signed_up")"
session="$(gql "mutation (\$account: ID!) { switchAccount(accountId: \$account) { $AUTH_PAYLOAD } }" \
  "$(jq -nc --arg account "$YOUR_ACCOUNT_ID" '{account: $account}')" "$ACCESS_TOKEN" | jq -c '.switchAccount')"
jq '{role, account: .account.name}' <<<"$session"
ACCESS_TOKEN="$(jq -r '.accessToken' <<<"$session")"
REFRESH_TOKEN="$(jq -r '.refreshToken' <<<"$session")"

step "9. Refresh: a new pair; the refresh token just presented is spent (presented again later, it ends the session)"
refreshed="$(gql 'mutation ($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken role } }' \
  "$(jq -nc --arg token "$REFRESH_TOKEN" '{input: {refreshToken: $token}}')" | jq -c '.refreshToken')"
jq '{role, newRefreshToken: (.refreshToken[0:12] + "…")}' <<<"$refreshed"
ACCESS_TOKEN="$(jq -r '.accessToken' <<<"$refreshed")"
REFRESH_TOKEN="$(jq -r '.refreshToken' <<<"$refreshed")"

step "10. Log out: the session ends, for its access token and its refresh token alike"
gql 'mutation { logout }' '{}' "$ACCESS_TOKEN" | jq '.'

step "11. After logout, both tokens are refused"
refused_refresh="$(gql_answer 'mutation ($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken } }' \
  "$(jq -nc --arg token "$REFRESH_TOKEN" '{input: {refreshToken: $token}}')")"
refused_me="$(gql_answer '{ me { email } }' '{}' "$ACCESS_TOKEN")"
for answer in "$refused_refresh" "$refused_me"; do
  jq -e '.errors[0].extensions.code == "UNAUTHENTICATED"' <<<"$answer" >/dev/null || { echo "Expected a refusal, got: $answer" >&2; exit 1; }
done
jq -c '{refreshToken: .errors[0].extensions | {code, reason}}' <<<"$refused_refresh"
jq -c '{me: .errors[0].extensions | {code, reason}}' <<<"$refused_me"

printf '\nDone: %s signed up, verified, joined a second account, chose it at login, switched, refreshed and logged out.\n' "$YOU"
