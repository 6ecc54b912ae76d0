import { stopServer } from './server';

export default async function globalTeardown() {
  const pid = Number(process.env.MAKEPLUS_E2E_SERVER_PID);
  await stopServer({
    ...(Number.isInteger(pid) && pid > 0 ? { pid } : {}),
    ...(process.env.MAKEPLUS_E2E_DATA_DIR ? { dataDir: process.env.MAKEPLUS_E2E_DATA_DIR } : {}),
  });
}
