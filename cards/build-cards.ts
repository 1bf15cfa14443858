import { DECISION_SUPPORT_STATEMENT } from '../domain/decision-support.js';
import { expandCard, type AdaptiveCardJson } from './expand-card.js';
import type { ListView, ModelSummaryView, Notice, ProfileView } from './views.js';

export const profileCard = (view: ProfileView): AdaptiveCardJson => expandCard('profile', { ...view, notice: DECISION_SUPPORT_STATEMENT });

export const listCard = (view: ListView): AdaptiveCardJson => expandCard('list', { ...view, notice: DECISION_SUPPORT_STATEMENT });

export const noticeCard = (notice: Notice): AdaptiveCardJson => expandCard('notice', { ...notice, notice: DECISION_SUPPORT_STATEMENT });

export const modelCard = (view: ModelSummaryView): AdaptiveCardJson => expandCard('model', { ...view, notice: DECISION_SUPPORT_STATEMENT });
