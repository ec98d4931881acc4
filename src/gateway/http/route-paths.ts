/**
 * Paths of HTTP routes that other layers put into messages. The domain does not know the routes: the
 * composition root hands it these builders (e.g. `interview_ended.report_url`).
 */
export function interviewReportPath(sessionId: string): string {
  return `/api/v1/interview/${encodeURIComponent(sessionId)}/report`;
}
