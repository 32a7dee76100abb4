import type { FuzzTarget } from '../target.js';
import { linesTarget } from './lines.js';
import { replyTarget } from './reply.js';

export const targets: readonly FuzzTarget[] = [linesTarget, replyTarget];
