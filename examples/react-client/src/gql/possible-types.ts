
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "LoginResult": [
      "AccountSelectionRequired",
      "AuthPayload",
      "TwoFactorRequired"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "LoginResult": [
      "AccountSelectionRequired",
      "AuthPayload",
      "TwoFactorRequired"
    ]
  }
};
      export default result;
    