'use strict';
// Conversations: the server keeps each user's list, the core the session's copy for the
// events (docs/areas/conversations.md).

var key = 'conversationID conversationType';

module.exports = {
  methods: require('../rpc').methods({
    queryConversationList: '* *',
    queryConversation: key,
    queryConversationPinnedList: '*',
    updateConversationPinnedState: 'isPinned ' + key,
    deleteConversation: key + ' *',
    deleteAllConversations: '*',
    clearConversationUnreadMessageCount: key,
    clearConversationTotalUnreadMessageCount: '',
    queryConversationTotalUnreadMessageCount: '*',
    setConversationNotificationStatus: 'status ' + key,
    setConversationDraft: 'draft ' + key,
    setConversationMark: 'markType enable conversationInfos',
  }),
  notices: {},
};
