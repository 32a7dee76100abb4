import type { FuzzTarget } from '../target.js';
import { addressTarget } from './address.js';
import { commandTarget } from './command.js';
import { linesTarget } from './lines.js';
import { listingTarget } from './listing.js';
import { natReplyTarget, natSessionTarget } from './nat.js';
import { proxyProtocolTarget } from './proxy-protocol.js';
import { replyTarget } from './reply.js';
import { replyMeaningsTarget } from './reply-meanings.js';

export const targets: readonly FuzzTarget[] = [
  linesTarget,
  replyTarget,
  replyMeaningsTarget,
  addressTarget,
  commandTarget,
  natSessionTarget,
  natReplyTarget,
  proxyProtocolTarget,
  listingTarget,
];
