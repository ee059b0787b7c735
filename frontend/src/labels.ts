// Chinese names of the statuses and kinds the desk (/desk/) and the public pages (/public/) show, read from src/i18n (those pages have no language switch yet), and a status chip.
import {inLang} from './i18n';
import {BUILDING_STATUS, PROJECT_KIND} from './map/palette';
import {el} from './ui/dom';

/** Household progress, the same words as the map legend. */
export const HOUSEHOLD_STATUS_ZH: Record<string, string> = Object.fromEntries(BUILDING_STATUS.map(c => [c.value, c.zh]));
export const PROJECT_KIND_ZH: Record<string, string> = Object.fromEntries(PROJECT_KIND.map(c => [c.value, c.zh]));

/** value → its Chinese name, from the dictionary's `<group>.<value>` keys. */
const zhNames = (group: string, values: readonly string[]): Record<string, string> =>
    Object.fromEntries(values.map(v => [v, inLang('zh', `${group}.${v}`)]));

export const RESETTLEMENT_ZH = zhNames('resettlement', ['monetary', 'property_swap']);

/** The five kinds of household file, in the order a clerk collects them. */
export const ATTACHMENT_KIND_ZH = zhNames('attachment', ['id_card', 'household_register', 'agreement', 'vacate_acceptance', 'other']);
export const ATTACHMENT_KINDS = Object.entries(ATTACHMENT_KIND_ZH).map(([value, zh]) => ({value, zh}));

/** A batch's approval chain: submitted → reviewed → approved → paid, or sent back. */
export const BATCH_STATUS_ZH = zhNames('batch.status', ['submitted', 'reviewed', 'approved', 'paid', 'returned']);

export const OBJECTION_STATUS_ZH = zhNames('objection.status', ['open', 'answered', 'closed']);

/** The disclosure documents' kinds, in the order the public page lists them. */
export const DOCUMENT_KINDS = Object.entries(zhNames('document', ['overview', 'policy', 'compensation_plan', 'announcement'])).map(([value, zh]) => ({value, zh}));

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

/** 信访: its channels (网上申诉 is the public objection form), states and timeliness. */
export const PETITION_CHANNEL_ZH = zhNames('petition.channel', ['online', 'hotline', 'letter', 'visit', 'box']);
export const PETITION_STATUS_ZH = zhNames('petition.status', ['registered', 'accepted', 'rejected', 'replied']);
export const PETITION_TIMELINESS_ZH = zhNames('petition.timeliness', ['open', 'overdue', 'on_time', 'late']);
const PETITION_TONE: Record<string, 'done' | 'wait' | 'bad'> = {registered: 'bad', accepted: 'wait', rejected: 'done', replied: 'done'};
export const petitionChip = (status: string) => chip(PETITION_STATUS_ZH[status] ?? status, status, PETITION_TONE[status] ?? 'neutral');
const TIMELINESS_TONE: Record<string, 'done' | 'wait' | 'bad'> = {open: 'wait', overdue: 'bad', on_time: 'done', late: 'bad'};
export const timelinessChip = (t: string) => chip(PETITION_TIMELINESS_ZH[t] ?? t, t, TIMELINESS_TONE[t] ?? 'neutral');
