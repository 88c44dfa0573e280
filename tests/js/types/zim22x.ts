// ZIM 2.2x code reads the enums on the class, as values and as types. Compiled against the
// tinyim package by tests/js/types.test.js (not run).
import { ZIM } from 'tinyim';

function kind(type: ZIM.MessageType, conversation: ZIM.ConversationType): string {
    if (conversation === ZIM.ConversationType.Peer && type === ZIM.MessageType.Text) return 'peer text';
    return 'other';
}

export function states(state: ZIM.CallUserState, revoke: ZIM.MessageRevokeStatus): string[] {
    const out = [kind(ZIM.MessageType.Command, ZIM.ConversationType.Group)];
    if (state === ZIM.CallUserState.Accepted) out.push('accepted');
    if (revoke === ZIM.MessageRevokeStatus.ServiceAPIRevoke) out.push('revoked by the server API');
    if (ZIM.ConnectionState.Connected === 2) out.push(ZIM.ConnectionState[2]);
    return out;
}
