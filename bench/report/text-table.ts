/** The aligned text table lives in shared/ so that the daemon's `switchyard hw` prints the same way. */
export { textTable } from '../../shared/report/text-table';
