import type { RuleKind } from './kind.js';
import { bodyFields } from './kinds/body-fields.js';
import { bookingStatus } from './kinds/booking-status.js';
import { contentType } from './kinds/content-type.js';
import { currency } from './kinds/currency.js';
import { dateRange } from './kinds/date-range.js';
import { enumeration } from './kinds/enum.js';
import { errorResponse } from './kinds/error-response.js';
import { links } from './kinds/links.js';
import { linksOrigin } from './kinds/links-origin.js';
import { linksResolve } from './kinds/links-resolve.js';
import { masking } from './kinds/masking.js';
import { maxLength } from './kinds/max-length.js';
import { minorUnits } from './kinds/minor-units.js';
import { pagination } from './kinds/pagination.js';
import { certificateRejection, signatureAccepted, signatureRejection } from './kinds/rejection.js';
import { required } from './kinds/required.js';
import { schema } from './kinds/schema.js';
import { status } from './kinds/status.js';
import { transport } from './kinds/transport.js';
import { undeclared } from './kinds/undeclared.js';
import { xRequestId } from './kinds/x-request-id.js';
import { negative } from './kinds/negative.js';
import { consentStatus } from './kinds/consent-lifecycle.js';

/** Every check kind, by name. A rule names its kind; the judge looks it up here. */
export const KINDS: Record<string, RuleKind<never>> = Object.fromEntries(
  [bookingStatus, contentType, currency, dateRange, enumeration, errorResponse, links, linksOrigin, linksResolve,
    masking, maxLength, minorUnits, pagination, required, schema, status, xRequestId,
    signatureRejection, certificateRejection, signatureAccepted, transport, bodyFields, undeclared, negative, consentStatus]
    .map((k) => [k.kind, k as RuleKind<never>]),
);
