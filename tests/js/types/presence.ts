// Users, presence and enums as code written against ZIM 2.29's own typings reads them.
// tests/js/types.test.js compiles this file (not run) with `tsc --strict` twice: against the
// tinyim package, and against zego-zim-miniprogram 2.29.0's typings in its place, so it is
// ZIM code that tinyim types the same way.
import {
    ZIM,
    ZIMError,
    ZIMErrorCode,
    ZIMGeofencingType,
    ZIMPlatformType,
    ZIMUserOfflinePushRule,
    ZIMUserOnlineStatus,
    ZIMUserStatus,
    ZIMUsersInfoQueryConfig,
    ZIMMessageType,
    ZIMConversationType,
    ZIMCallUserState,
} from 'tinyim';

function label(status: ZIMUserStatus): string {
    switch (status.onlineStatus) {
        case ZIMUserOnlineStatus.Online:
            return status.customStatus || 'online';
        case ZIMUserOnlineStatus.Offline:
            return 'offline since ' + new Date(status.lastOnlineStatusUpdateTime).toISOString();
        case ZIMUserOnlineStatus.Logout:
            return 'logged out';
        default:
            return 'unknown';
    }
}

function onWeb(platforms: ZIMPlatformType[]): boolean {
    return platforms.includes(ZIMPlatformType.Web) || platforms.includes(ZIMPlatformType.MiniProgram);
}

export async function presence(zim: ZIM, friends: string[]): Promise<string[]> {
    zim.on('userStatusUpdated', (zim, { userStatusList }) => {
        userStatusList.forEach((s) => console.log(s.userID, label(s), onWeb(s.onlinePlatforms)));
    });
    zim.on('userRuleUpdated', (zim, { userRule }) => console.log(userRule.offlinePushRule.notToReceiveOfflinePushPlatforms.length));
    zim.on('userInfoUpdated', (zim, { info }) => console.log(info.baseInfo.userName, info.userAvatarUrl));
    zim.on('experimentalEventReceived', (zim, content) => console.log(JSON.parse(content)));

    const { errorUserList } = await zim.subscribeUsersStatus(friends, { subscriptionDuration: 60 * 24 });
    const failed = errorUserList.filter((e) => e.reason !== ZIMErrorCode.CommonModuleUserIsNotExist).map((e) => e.userID);
    const { userStatusList } = await zim.queryUsersStatus(friends);
    const { userStatusSubscriptionList } = await zim.querySubscribedUserStatusList({ userIDs: [] });
    for (const sub of userStatusSubscriptionList) {
        if (sub.subscribeExpiredTime < Date.now() + 3600 * 1000) await zim.subscribeUsersStatus([sub.userStatus.userID], { subscriptionDuration: 60 });
    }
    await zim.unsubscribeUsersStatus(failed);
    const { customStatus } = await zim.updateUserCustomStatus('busy', { duration: 3600 });
    await zim.updateUserCustomStatus('');

    const rule: ZIMUserOfflinePushRule = {
        onlinePlatforms: [ZIMPlatformType.Win, ZIMPlatformType.MacOS],
        notToReceiveOfflinePushPlatforms: [ZIMPlatformType.Android, ZIMPlatformType.IPhoneOS],
    };
    const { offlinePushRule } = await zim.updateUserOfflinePushRule(rule);
    const nothing: void = await zim.updateUserBadge(0);
    const { selfUserInfo } = await zim.querySelfUserInfo();
    const config: ZIMUsersInfoQueryConfig = { isQueryFromServer: true };
    const { userList } = await zim.queryUsersInfo([selfUserInfo.userFullInfo.baseInfo.userID], config);
    console.log(
        selfUserInfo.userRule.offlinePushRule.onlinePlatforms.length,
        label(selfUserInfo.userStatus),
        offlinePushRule.onlinePlatforms,
        nothing,
        userList.length,
    );
    return userStatusList.map(label).concat(customStatus);
}

export async function firstArea(zim: ZIM): Promise<void> {
    const applied: boolean = ZIM.setGeofencingConfig([2, 3], ZIMGeofencingType.Include);
    await zim.uploadLog();
    try {
        const answer: string = await zim.callExperimentalAPI(JSON.stringify({ method: 'x', params: {} }));
        console.log(answer);
    } catch (e) {
        const err = e as ZIMError;
        if (err.code === ZIMErrorCode.CommonModuleParamsInvalid) console.log(applied, err.message);
    }
    const kinds: number[] = [ZIMMessageType.Text, ZIMMessageType.Custom, ZIMConversationType.Group, ZIMCallUserState.BeCancelled];
    console.log(kinds, ZIMErrorCode.FriendModuleDelBlacklistFail);
}
