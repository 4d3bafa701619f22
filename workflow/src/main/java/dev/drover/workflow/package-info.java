/**
 * Workflows: sequential pipelines ({@link dev.drover.workflow.Workflow#sequence}) and DAGs
 * ({@link dev.drover.workflow.Workflow#graph}) of typed steps, each step of each run a durable task on the workflow's
 * queue, run by {@link dev.drover.workflow.WorkflowClient#worker()} and started, inspected, awaited and cancelled
 * through {@link dev.drover.workflow.WorkflowClient}.
 * <p>
 * A step's output is stored as its task's result, and the tasks after it are pushed in the same transaction as its
 * completion ({@link dev.drover.api.FollowUp}); a join, or the gather of a filter or flat-map, is pushed once, by the
 * last of its inputs to complete. On a backend without {@link dev.drover.api.Capability#FOLLOW_UPS}, a step records its
 * output before pushing its successors idempotently, so a crash in between neither runs it again nor loses the run.
 */
package dev.drover.workflow;
