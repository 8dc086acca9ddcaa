import { isIP } from 'node:net';
import { LatchkeyError } from '../../../shared/errors';

/** Loopback only: plain http is allowed to this computer (test and contract servers), nowhere else. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./i.test(host) || /^::ffff:7f[0-9a-f]{2}:/i.test(host);
  return false;
}

/**
 * Parses a provider base URL and refuses what would send credentials in the clear or to the wrong
 * place: any scheme but https (http only to loopback), user info in the URL, a query or a fragment.
 */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The base address is not a valid URL.');
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) throw new LatchkeyError('PROVIDER_INSECURE_URL', `${url.host} is not this computer.`);
  } else if (url.protocol !== 'https:') {
    throw new LatchkeyError('PROVIDER_INSECURE_URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The base address must not hold a user name or password.');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The base address must not have a query or a fragment.');
  }
  return url;
}

/** The base URL's path prefix (self-hosted deployments) followed by the endpoint path. */
export function endpointUrl(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return url;
}
