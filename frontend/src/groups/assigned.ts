// What an assignment did, in one sentence: "已分配 12 户，其中 5 户原属第二工作组" (the cockpit in its language, the desk in Chinese).
import {fmtInt} from '../format';
import type {Tr} from '../status/confirm';
import type {Assigned} from './api';

export function assignedLine(a: Assigned, tr: Tr): string {
    const moved = a.moved_from.filter(m => m.households > 0);
    if (!moved.length) return tr('groups.result.assigned', {count: fmtInt(a.assigned)});
    const from = moved.map(m => tr('groups.result.moved_from', {count: fmtInt(m.households), name: m.name})).join(tr('groups.result.separator'));
    return tr('groups.result.assigned_moved', {count: fmtInt(a.assigned), from});
}
