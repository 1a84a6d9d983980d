// The probe ids the collector records the semantic rules' requests under live beside their kinds; this keeps the old import path.
export { DATE_WINDOW } from '../kinds/date-range.js';
export { LINKS_PROBE } from '../kinds/links-resolve.js';
