// Just enough of joyent's http-signature (CommonJS, untyped) for the cross-check tests.
declare module 'http-signature' {
  interface ParsedRequestSignature {
    scheme: string;
    params: { keyId: string; algorithm: string; headers: string[]; signature: string };
    signingString: string;
    algorithm: string;
    keyId: string;
  }
  interface ParseableRequest {
    method: string;
    url: string;
    httpVersion?: string;
    headers: Record<string, string>;
  }
  interface SignableRequest {
    method: string;
    path: string;
    getHeader(name: string): string | undefined;
    setHeader(name: string, value: string): void;
  }
  interface SignOptions {
    keyId: string;
    key: string;
    algorithm?: string;
    headers?: string[];
    authorizationHeaderName?: string;
  }
  function parseRequest(request: ParseableRequest, options?: { headers?: string[]; clockSkew?: number; strict?: boolean }): ParsedRequestSignature;
  function verifySignature(parsed: ParsedRequestSignature, publicKeyPem: string): boolean;
  function sign(request: SignableRequest, options: SignOptions): boolean;
  const httpSignature: { parseRequest: typeof parseRequest; verifySignature: typeof verifySignature; sign: typeof sign };
  export default httpSignature;
}
