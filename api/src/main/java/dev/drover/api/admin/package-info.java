/**
 * Operating a Drover's storage: what the dashboard, its JSON API and the command-line tool do, on every backend.
 * {@link dev.drover.api.admin.DroverAdmin} lists queues with their counts and throughput, finds and pages through tasks,
 * and requeues, retries, cancels, deletes and purges them.
 */
package dev.drover.api.admin;
