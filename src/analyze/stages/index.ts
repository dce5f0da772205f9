// Registry of stage handlers. A stage without a handler is tracked (entered, bytes counted) but
// not decoded: its bytes become 'opaque' events.
import type { StageHandler } from '../stage-handler.js';
import { credsspStage } from './credssp.js';
import { tlsStage } from './tls.js';
import { x224Stage } from './x224.js';
import { RDP_STAGES } from './rdp.js';

export const STAGE_HANDLERS: readonly StageHandler[] = [x224Stage, tlsStage, credsspStage, ...RDP_STAGES];
