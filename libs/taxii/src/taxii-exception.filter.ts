import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Optional } from '@nestjs/common';
import type { Response } from 'express';
import { JsonLogger } from '@cairn/common';
import { sendTaxiiError } from './taxii-error';

/**
 * Every error of a TAXII controller — from the guard (401/403/429), the media-type checks, the
 * services, or a bug — as a TAXII error message. Declared on the controllers, so it takes
 * precedence over the app-wide CairnExceptionFilter and its non-TAXII body.
 */
@Catch()
@Injectable()
export class TaxiiExceptionFilter implements ExceptionFilter {
  constructor(@Optional() private readonly logger?: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    sendTaxiiError(host.switchToHttp().getResponse<Response>(), error, this.logger);
  }
}
