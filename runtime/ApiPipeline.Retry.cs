using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

// The retry loop: after a failed try, wait as the policy or the server says and try again, or
// throw the last failure.
public sealed partial class ApiPipeline
{
    // After a failed try: wait and try again while the failure is retryable and retries remain,
    // else throw the last failure. Pooled, like TryOnceAsync: its box is reused, not allocated.
#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<Exchange> RetryAsync(TryFailure failed)
    {
        while (true)
        {
            // Read again on each failure: a try that fetched a new token after a 401 changes it.
            Call call = failed.Call;
            int attempt = failed.Attempt;
            if (failed.RetryDelay is not { } delay)
            {
                ApiTelemetry.Finish(call.Activity, attempt, failed.Status, failed.Failure);
                throw failed.Failure!;
            }

            ApiTelemetry.Retrying(call.Activity, attempt, failed.Reason!, delay);
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _clock, call.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (call.CancellationToken.IsCancellationRequested)
                {
                    if (CallerCancelled(call, attempt, ex) is { } translated)
                    {
                        throw translated;
                    }

                    throw;
                }
            }

            Exchange next = await TryOnceAsync(call, attempt + 1).ConfigureAwait(false);
            if (next.Failed is not { } again)
            {
                return next;
            }

            failed = again;
        }
    }

    // The caller cancelled: the call ends here. Returns the exception that reports the caller's own
    // token (whichever linked token the transport saw), or null when the one caught already does.
    private static OperationCanceledException? CallerCancelled(in Call call, int attempts, OperationCanceledException ex)
    {
        ApiTelemetry.Finish(call.Activity, attempts, status: null, ex);
        return ex.CancellationToken == call.CancellationToken ? null : new OperationCanceledException(ex.Message, ex, call.CancellationToken);
    }
}
