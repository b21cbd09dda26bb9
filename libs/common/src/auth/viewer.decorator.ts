import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Viewer as ViewerShape } from './viewer';
import { requestHolder } from './request-holder';

/**
 * The authenticated caller, as AuthGuard put it on the request. Throws (an internal error, not
 * a 401) when there is none: that means a resolver or controller forgot its guard, or used this
 * on a @Public() operation — a bug to see in the logs, not a client problem.
 */
export const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): ViewerShape => {
  const viewer = requestHolder(context)?.viewer;
  if (!viewer)
    throw new Error('@Viewer() used without an authenticated viewer: is @UseGuards(AuthGuard) missing, or is the operation @Public()?');
  return viewer;
});
