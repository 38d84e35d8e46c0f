// A software authenticator, so tests can make and use passkeys in node with real signatures: an
// ES256 key from node:crypto, client data and authenticator data built as a browser and a device
// would, attestation format "none". Only what the server checks is built; nothing here is trusted.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array) => Buffer.from(data).toString("base64url");

const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
const ATTESTED_DATA = 0x40;

type Options = { challenge: string; user?: { id: string } };

export class SoftAuthenticator {
  private readonly key = generateKeyPairSync("ec", { namedCurve: "P-256" });
  readonly credentialId = randomBytes(16);
  private userHandle: string | undefined;
  /** The signature count it sends next; a device that does not count always sends 0. */
  counter: number;

  constructor(
    readonly where = { origin: "http://localhost", rpID: "localhost" },
    private readonly counts = true,
  ) {
    this.counter = counts ? 1 : 0;
  }

  get id() {
    return b64url(this.credentialId);
  }

  /** The public key as COSE: EC2 (1), ES256 (-7), curve P-256 (1), x and y. */
  private coseKey() {
    const jwk = this.key.publicKey.export({ format: "jwk" });
    const x = Buffer.from(jwk.x!, "base64url");
    const y = Buffer.from(jwk.y!, "base64url");
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(x)],
        [-3, new Uint8Array(y)],
      ]),
    );
  }

  private authenticatorData(counter: number, flags: number, attested: boolean) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const parts = [sha256(this.where.rpID), Buffer.from([flags | (attested ? ATTESTED_DATA : 0)]), count];
    if (attested) {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), length, this.credentialId, Buffer.from(this.coseKey()));
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string, origin: string) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** What navigator.credentials.create() answers, as @simplewebauthn/browser sends it. */
  register(options: Options, change: { origin?: string; verified?: boolean } = {}): RegistrationResponseJSON {
    this.userHandle = options.user?.id;
    const flags = USER_PRESENT | (change.verified === false ? 0 : USER_VERIFIED);
    const authData = this.authenticatorData(0, flags, true);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(this.clientData("webauthn.create", options.challenge, change.origin ?? this.where.origin)),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
    };
  }

  /** What navigator.credentials.get() answers: signed, with the next count (or `counter`). */
  assert(options: Options, change: { origin?: string; counter?: number } = {}): AuthenticationResponseJSON {
    const counter = change.counter ?? this.counter;
    if (this.counts && change.counter === undefined) this.counter++;
    const authData = this.authenticatorData(counter, USER_PRESENT | USER_VERIFIED, false);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, change.origin ?? this.where.origin);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), this.key.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
    };
  }
}
