// Chinese names of the statuses and kinds the desk (/desk/) and the public pages (/public/) show, and a status chip.
import {BUILDING_STATUS, PROJECT_KIND} from './map/palette';
import {el} from './ui/dom';

/** Household progress, the same words as the map legend. */
export const HOUSEHOLD_STATUS_ZH: Record<string, string> = Object.fromEntries(BUILDING_STATUS.map(c => [c.value, c.zh]));
export const PROJECT_KIND_ZH: Record<string, string> = Object.fromEntries(PROJECT_KIND.map(c => [c.value, c.zh]));

export const RESETTLEMENT_ZH: Record<string, string> = {monetary: '货币补偿', property_swap: '产权调换'};

/** The five kinds of household file, in the order a clerk collects them. */
export const ATTACHMENT_KINDS = [
    {value: 'id_card', zh: '身份证'},
    {value: 'household_register', zh: '户口簿'},
    {value: 'agreement', zh: '协议'},
    {value: 'vacate_acceptance', zh: '腾空验收单'},
    {value: 'other', zh: '其他'},
] as const;
export const ATTACHMENT_KIND_ZH: Record<string, string> = Object.fromEntries(ATTACHMENT_KINDS.map(k => [k.value, k.zh]));

/** A batch's approval chain: submitted → reviewed → approved → paid, or sent back. */
export const BATCH_STATUS_ZH: Record<string, string> = {
    submitted: '待审核', reviewed: '已审核', approved: '已审批', paid: '已支付', returned: '已退回',
};

export const OBJECTION_STATUS_ZH: Record<string, string> = {open: '待答复', answered: '已答复', closed: '已办结'};

/** The disclosure documents' kinds, in the order the public page lists them. */
export const DOCUMENT_KINDS = [
    {value: 'overview', zh: '项目概况'},
    {value: 'policy', zh: '征收政策'},
    {value: 'compensation_plan', zh: '补偿方案'},
    {value: 'announcement', zh: '公告'},
] as const;

/** A small coloured label: `tone` picks the colour (done, wait, bad, neutral); data-status for tests and CSS. */
export function chip(text: string, status: string, tone: 'done' | 'wait' | 'bad' | 'neutral' = 'neutral'): HTMLElement {
    const c = el('span', `om-chip om-chip-${tone}`, text);
    c.dataset.status = status;
    return c;
}

const BATCH_TONE: Record<string, 'done' | 'wait' | 'bad'> = {submitted: 'wait', reviewed: 'wait', approved: 'wait', paid: 'done', returned: 'bad'};
export const batchChip = (status: string) => chip(BATCH_STATUS_ZH[status] ?? status, status, BATCH_TONE[status] ?? 'neutral');

const OBJECTION_TONE: Record<string, 'done' | 'wait' | 'bad'> = {open: 'bad', answered: 'wait', closed: 'done'};
export const objectionChip = (status: string) => chip(OBJECTION_STATUS_ZH[status] ?? status, status, OBJECTION_TONE[status] ?? 'neutral');

export const householdChip = (status: string) =>
    chip(HOUSEHOLD_STATUS_ZH[status] ?? status, status, status === 'pending' ? 'bad' : status === 'surveyed' ? 'wait' : 'done');
