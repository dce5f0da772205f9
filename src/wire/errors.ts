// Typed decode errors: every failure names its layer, PDU, field and absolute byte offset.

export type DecodeErrorCode =
  | 'NOT_ENOUGH_BYTES'
  | 'INVALID_FIELD'
  | 'UNEXPECTED_TYPE'
  | 'UNSUPPORTED_VERSION'
  | 'UNSUPPORTED_VALUE'
  | 'LIMIT_EXCEEDED';

export type Layer = 'tpkt' | 'x224' | 'nego' | 'tls' | 'credssp' | 'mcs' | 'rdp' | 'capture';

export interface DecodeErrorInfo {
  code: DecodeErrorCode;
  layer: Layer;
  pdu: string;
  field: string;
  /** absolute offset of the offending byte in the stream or buffer being decoded */
  offset: number;
  reason: string;
}

export class DecodeError extends Error implements DecodeErrorInfo {
  readonly code: DecodeErrorCode;
  readonly layer: Layer;
  readonly pdu: string;
  readonly field: string;
  readonly offset: number;
  readonly reason: string;

  constructor(info: DecodeErrorInfo) {
    // no stack trace: a decode error is data, named by layer, field and offset, and a capture can
    // make thousands (every stream on an RDP port that is not RDP); capturing each stack costs
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${info.layer}: ${info.pdu}: ${info.field} at byte ${info.offset}: ${info.reason}`);
    Error.stackTraceLimit = limit;
    this.name = 'DecodeError';
    this.code = info.code;
    this.layer = info.layer;
    this.pdu = info.pdu;
    this.field = info.field;
    this.offset = info.offset;
    this.reason = info.reason;
  }

  toJSON(): DecodeErrorInfo {
    const { code, layer, pdu, field, offset, reason } = this;
    return { code, layer, pdu, field, offset, reason };
  }
}
