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

// The values a call and its tries pass along.
public sealed partial class ApiPipeline
{
    // Everything about one call that each of its tries needs.
    private readonly record struct Call(
        ApiRequest Request,
        RequestOptions? Options,
        ServerAddress Server,
        SecurityRequirement? Requirement,
        TimeSpan Timeout,
        string TimeoutSource,
        string? IdempotencyKey,
        bool Streaming,
        int MaxRetries,
        bool TokenRetried,
        Activity? Activity,
        CancellationToken CancellationToken);

    // What one try brought: a success, whose Body (rented from the pool) whoever takes it from the
    // pipeline returns once; or, when Failed is set, a failure.
    private readonly struct Exchange(HttpStatusCode status, ResponseHeaders? headers, int attempts)
    {
        public HttpStatusCode Status { get; } = status;

        public ResponseHeaders Headers { get; } = headers!;

        public int Attempts { get; } = attempts;

        public byte[]? Body { get; init; }

        public int BodyLength { get; init; }

        public ReadOnlySpan<byte> BodySpan => Body.AsSpan(0, BodyLength);

        public ReadOnlyMemory<byte> BodyMemory => Body.AsMemory(0, BodyLength);

        /// <summary>The open response of a streaming call.</summary>
        public StreamingResponse? Streamed { get; init; }

        /// <summary>Set when the try failed; it carries the call on to the retry loop.</summary>
        public TryFailure? Failed { get; init; }

        public static implicit operator Exchange(TryFailure failed) => new(default, null, failed.Attempt) { Failed = failed };
    }

    // A failed try: how long to wait before the next one, or the failure to throw. An object, made
    // only when a try fails, so that the success path carries one reference for it.
    private sealed class TryFailure
    {
        private TryFailure(Call call, int attempt)
        {
            Call = call;
            Attempt = attempt;
        }

        public Call Call { get; }

        public int Attempt { get; }

        public ApiCallException? Failure { get; private init; }

        public TimeSpan? RetryDelay { get; private init; }

        public string? Reason { get; private init; }

        public int? Status { get; private init; }

        public static TryFailure Retry(Call call, int attempt, TimeSpan delay, string reason) => new(call, attempt) { RetryDelay = delay, Reason = reason };

        public static TryFailure Fail(Call call, int attempt, ApiCallException failure, int? status) => new(call, attempt) { Failure = failure, Status = status };
    }

    private readonly record struct FailedResponse(ApiRequest Request, HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
    {
        public ApiFailure ToFailure(ApiError? error, string? detail, int attempts, string? note, object? body = null)
        {
            int length = Math.Min(Body.Length, ApiFailure.MaxRawBodyLength);
            string raw = Encoding.UTF8.GetString(Body.Span.Slice(0, length));
            Headers.TryGetValue("x-request-id", out string? requestId);
            return new ApiFailure(Request.OperationId, Request.Method.Method, Request.Path, Status, Headers, requestId, error, raw, detail)
            {
                Attempts = attempts,
                Note = note,
                Body = body,
            };
        }
    }
}
