// Which operation plays each role is read by the kinds too, so it lives in rules/operations.ts; this keeps the old import path.
export { ROLE_ENDPOINTS, findOperations, normalisePath, type OperationInfo, type ParameterInfo, type ResponseInfo } from '../operations.js';
