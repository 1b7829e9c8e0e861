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

// The per-try timeout sources, reset and reused between tries.
public sealed partial class ApiPipeline
{
    // Reset timeout sources waiting for the next try; a few, for calls in parallel.
    private readonly CancellationTokenSource?[] _spareTimeoutSources = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount, 2, 8)];

    // A timer-backed source per try is most of a small call's overhead; a finished try's source is
    // reset and reused. Only sources on the system clock can be reset (TryReset fails for any
    // other TimeProvider's timer), so with a custom clock every try gets a new one, as before.
    private CancellationTokenSource RentTimeoutSource(TimeSpan timeout)
    {
        if (_clock != TimeProvider.System)
        {
#if NET
            return new CancellationTokenSource(timeout, _clock);
#else
            return _clock.CreateCancellationTokenSource(timeout);
#endif
        }

        CancellationTokenSource?[] spares = _spareTimeoutSources;
        for (int i = 0; i < spares.Length; i++)
        {
            if (Volatile.Read(ref spares[i]) is not null && Interlocked.Exchange(ref spares[i], null) is { } spare)
            {
                spare.CancelAfter(timeout);
                return spare;
            }
        }

        return new CancellationTokenSource(timeout);
    }

    // The try is over, its response disposed and the transport done with the token: a source that
    // has not fired is reset (its timer stopped, its leftover registrations dropped) and kept for a
    // later try; one that fired, or that does not fit, is disposed.
    private void ReturnTimeoutSource(CancellationTokenSource source)
    {
        if (_clock == TimeProvider.System && source.TryReset())
        {
            CancellationTokenSource?[] spares = _spareTimeoutSources;
            for (int i = 0; i < spares.Length; i++)
            {
                if (Interlocked.CompareExchange(ref spares[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }
}
