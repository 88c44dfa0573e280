// Friends and the blacklist as code written against ZIM 2.29's own typings reads them.
// tests/js/types.test.js compiles this file (not run) with `tsc --strict` twice: against the
// tinyim package, and against zego-zim-miniprogram 2.29.0's typings in its place, so it is
// ZIM code that tinyim types the same way.
import {
    ZIM,
    ZIMErrorCode,
    ZIMFriendApplicationInfo,
    ZIMFriendApplicationState,
    ZIMFriendApplicationType,
    ZIMFriendDeleteType,
    ZIMFriendInfo,
    ZIMFriendListChangeAction,
    ZIMFriendRelationCheckType,
    ZIMUserRelationType,
    ZIMBlacklistChangeAction,
    ZIMUserInfo,
} from 'tinyim';

function title(f: ZIMFriendInfo): string {
    return (f.friendAlias || f.userName) + ' ' + (f.friendAttributes['k0'] || '') + ' ' + new Date(f.createTime).toISOString() + f.wording;
}

function waiting(a: ZIMFriendApplicationInfo): boolean {
    return a.type === ZIMFriendApplicationType.Received && a.state === ZIMFriendApplicationState.Waiting && a.updateTime > a.createTime - 1;
}

export async function friends(zim: ZIM, other: string): Promise<string[]> {
    zim.on('friendListChanged', (zim, { friendList, action }) => {
        if (action === ZIMFriendListChangeAction.Added) friendList.forEach((f) => console.log(title(f)));
    });
    zim.on('friendInfoUpdated', (zim, { friendList }) => console.log(friendList.map(title)));
    zim.on('friendApplicationListChanged', (zim, { applicationList }) => console.log(applicationList.filter(waiting).length));
    zim.on('friendApplicationUpdated', (zim, { applicationList }) => console.log(applicationList[0].applyUser.userID));
    zim.on('blacklistChanged', (zim, { userList, action }) => {
        const users: ZIMUserInfo[] = userList;
        console.log(action === ZIMBlacklistChangeAction.Removed, users.length);
    });

    const { friendInfo } = await zim.addFriend(other, { friendAlias: 'pal', friendAttributes: { k0: 'x' }, wording: 'hi' });
    const { relationInfos } = await zim.checkFriendsRelation([other], { type: ZIMFriendRelationCheckType.Both });
    const both = relationInfos.filter((r) => r.type === ZIMUserRelationType.BothAllHave).map((r) => r.userID);
    await zim.updateFriendAlias('buddy', other);
    await zim.updateFriendAttributes({ k1: 'y' }, other);
    const { friendInfos, errorUserList } = await zim.queryFriendsInfo([other]);
    const { friendList, nextFlag } = await zim.queryFriendList({ count: 100, nextFlag: 0 });
    const sent = await zim.sendFriendApplication(other, { wording: 'hello', friendAlias: '', friendAttributes: {} });
    const accepted = await zim.acceptFriendApplication(other, { friendAlias: '', friendAttributes: {} });
    const rejected = await zim.rejectFriendApplication(other, {});
    const { applicationList } = await zim.queryFriendApplicationList({ count: 10 });
    const deleted = await zim.deleteFriends([other], { type: ZIMFriendDeleteType.Single });
    const blocked = await zim.addUsersToBlacklist([other]);
    const { blacklist } = await zim.queryBlacklist({ count: 10 });
    const { isUserInBlacklist } = await zim.checkUserIsInBlacklist(other);
    const unblocked = await zim.removeUsersFromBlacklist([other]);
    const failed = blocked.errorUserList.concat(unblocked.errorUserList, deleted.errorUserList, errorUserList);
    console.log(
        failed.some((e) => e.reason === ZIMErrorCode.FriendModuleCannotAddSelfToBlacklist),
        isUserInBlacklist,
        nextFlag,
        sent.applicationInfo.state,
        accepted.friendInfo.userID,
        rejected.userInfo.userName,
        applicationList.length,
        blacklist.map((u) => u.userAvatarUrl),
    );
    return both.concat(title(friendInfo), friendInfos.map(title), friendList.map(title));
}
