import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  idParams, listReportsQuery, listTasksQuery, overrideBody, previewAssessmentBody, recordAssessmentBody, recordConsentBody, refuseReportBody, requestReportBody, updateTaskBody,
} from '../../shared/api/assessment.js';
import type { AppContext } from '../context.js';
import { whoOf } from '../http/access.js';
import { sendResult } from '../http/errors.js';
import { sendReportBody } from '../../shared/api/referrals.js';
import { overrideAssessment, previewAssessment, publishedInstrument, readAssessments, recordAssessment, runProtocols } from './assessment.service.js';
import { approveReport, listConsents, listReports, listReportsAcross, recordConsent, reportingRules, refuseReport, reportDelivery, requestReport, sendReport, withdrawConsent } from './reports.service.js';
import { listContactTasks, listTasks, updateTask } from './tasks.service.js';

/** Assessment, protocol tasks, consent and reports (docs/assessment-api.md). */
export async function assessmentRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assessment'];

  r.get('/api/assessment/instrument', { config: { access: { permission: 'assessment.record' } }, schema: { tags, summary: 'The published assessment instrument (items, skip logic, rules)' } }, async (request) => ({
    instrument: await publishedInstrument(ctx, whoOf(request)),
  }));

  r.post('/api/assessment/preview', { config: { access: { permission: 'assessment.record' } }, schema: { tags, summary: 'Evaluate answers and plan the response without storing anything (live panel)', body: previewAssessmentBody } }, async (request, reply) =>
    sendResult(reply, await previewAssessment(ctx, whoOf(request), request.body)),
  );

  r.post('/api/contacts/:id/assessment', { config: { access: { permission: 'assessment.record' } }, schema: { tags, summary: 'Assess a contact; runs the protocols it triggers and creates their tasks', params: idParams, body: recordAssessmentBody } }, async (request, reply) =>
    sendResult(reply, await recordAssessment(ctx, whoOf(request), request.params.id, request.body), (value) => value, 201),
  );

  r.get('/api/contacts/:id/assessment', { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'The latest assessment of a contact and its history (audited read)', params: idParams } }, async (request, reply) =>
    sendResult(reply, await readAssessments(ctx, whoOf(request), request.params.id)),
  );

  r.post('/api/contacts/:id/assessment/override', { config: { access: { permission: 'assessment.override' } }, schema: { tags, summary: 'Override a level of the latest assessment, with a reason', params: idParams, body: overrideBody } }, async (request, reply) =>
    sendResult(reply, await overrideAssessment(ctx, whoOf(request), request.params.id, request.body), (value) => value, 201),
  );

  r.post('/api/contacts/:id/protocols/run', { config: { access: { permission: 'assessment.record' } }, schema: { tags, summary: 'Run the matched protocols again (new tasks only)', params: idParams } }, async (request, reply) =>
    sendResult(reply, await runProtocols(ctx, whoOf(request), request.params.id)),
  );

  r.get('/api/contacts/:id/tasks', { config: { access: { permission: 'task.read' } }, schema: { tags, summary: "A contact's protocol tasks", params: idParams } }, async (request, reply) =>
    sendResult(reply, await listContactTasks(ctx, whoOf(request), request.params.id), (items) => ({ items })),
  );

  r.get('/api/tasks', { config: { access: { permission: 'task.read' } }, schema: { tags, summary: 'Tasks across the contacts I may see (e.g. escalated and open)', querystring: listTasksQuery } }, async (request) => ({
    items: await listTasks(ctx, whoOf(request), request.query),
  }));

  r.patch('/api/tasks/:id', { config: { access: { permission: 'task.update' } }, schema: { tags, summary: 'Mark a task done, skipped (with a reason) or open', params: idParams, body: updateTaskBody } }, async (request, reply) =>
    sendResult(reply, await updateTask(ctx, whoOf(request), request.params.id, request.body), (task) => ({ task })),
  );

  r.get('/api/contacts/:id/consents', { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: "A contact's consents (audited read)", params: idParams } }, async (request, reply) =>
    sendResult(reply, await listConsents(ctx, whoOf(request), request.params.id), (items) => ({ items })),
  );

  r.post('/api/contacts/:id/consents', { config: { access: { permission: 'consent.record' } }, schema: { tags, summary: 'Record a consent to a disclosure', params: idParams, body: recordConsentBody } }, async (request, reply) =>
    sendResult(reply, await recordConsent(ctx, whoOf(request), request.params.id, request.body), (consent) => ({ consent }), 201),
  );

  r.post('/api/consents/:id/withdraw', { config: { access: { permission: 'consent.record' } }, schema: { tags, summary: 'Record that a consent was withdrawn', params: idParams } }, async (request, reply) =>
    sendResult(reply, await withdrawConsent(ctx, whoOf(request), request.params.id), (consent) => ({ consent })),
  );

  r.get('/api/contacts/:id/reports', { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: "A contact's reports to authorities (audited read)", params: idParams } }, async (request, reply) =>
    sendResult(reply, await listReports(ctx, whoOf(request), request.params.id), (items) => ({ items })),
  );

  r.post('/api/contacts/:id/reports', { config: { access: { permission: 'report.request' } }, schema: { tags, summary: 'Ask to report to an agency (refused unless consent/exception and approval rules allow)', params: idParams, body: requestReportBody } }, async (request, reply) =>
    sendResult(reply, await requestReport(ctx, whoOf(request), request.params.id, request.body), (report) => ({ report }), 201),
  );

  r.get('/api/reports', { config: { access: { permission: 'report.approve' } }, schema: { tags, summary: 'Reports across the contacts I may approve for (e.g. awaiting approval), with contact references (audited)', querystring: listReportsQuery } }, async (request) => ({
    items: await listReportsAcross(ctx, whoOf(request), request.query),
  }));

  r.get('/api/assessment/jurisdiction', { config: { access: { anyPermission: ['contact.read', 'config.manage'] } }, schema: { tags, summary: "The hotline's reporting rules: agencies, consent and approval policies, mandatory reports" } }, async (request) => ({
    jurisdiction: await reportingRules(ctx, whoOf(request)),
  }));

  r.post('/api/reports/:id/approve', { config: { access: { permission: 'report.approve' } }, schema: { tags, summary: "A supervisor approves a requested report (not their own)", params: idParams } }, async (request, reply) =>
    sendResult(reply, await approveReport(ctx, whoOf(request), request.params.id), (report) => ({ report })),
  );

  r.post('/api/reports/:id/refuse', { config: { access: { permission: 'report.approve' } }, schema: { tags, summary: 'A supervisor refuses a report, with a reason', params: idParams, body: refuseReportBody } }, async (request, reply) =>
    sendResult(reply, await refuseReport(ctx, whoOf(request), request.params.id, request.body), (report) => ({ report })),
  );

  r.get('/api/reports/:id/delivery', { config: { access: { permission: 'report.request' } }, schema: { tags, summary: 'What sending this report will do: the agency in the directory (if any) and the cases it can be referred from', params: idParams } }, async (request, reply) =>
    sendResult(reply, await reportDelivery(ctx, whoOf(request), request.params.id)),
  );
  r.post('/api/reports/:id/send', { config: { access: { permission: 'report.request' } }, schema: { tags, summary: 'Send an approved report (rules re-checked now); refers the case to the agency when it is in the directory', params: idParams, body: sendReportBody.optional() } }, async (request, reply) =>
    sendResult(reply, await sendReport(ctx, whoOf(request), request.params.id, sendReportBody.parse(request.body ?? {})), (sent) => sent),
  );
}
