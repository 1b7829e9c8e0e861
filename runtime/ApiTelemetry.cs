using System;
using System.Diagnostics;
using System.Globalization;

namespace Specgen.Runtime;

/// <summary>
/// One <see cref="Activity"/> per logical call (its retries included) on the
/// <see cref="ApiPipeline.ActivitySourceName"/> source, with an event per retry.
/// </summary>
/// <remarks>
/// Tags hold the operation, method, server, path, status and retry count; never a header, the
/// query string, a body or the API key. <see cref="System.Net.Http.HttpClient"/>'s own activity for
/// each try nests under this one.
/// </remarks>
internal static class ApiTelemetry
{
    public static readonly ActivitySource Source = new(ApiPipeline.ActivitySourceName, typeof(ApiTelemetry).Assembly.GetName().Version?.ToString());

    public static Activity? Start(ApiRequest request, Uri baseAddress)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity(request.OperationId, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("specgen.operation_id", request.OperationId);
        activity.SetTag("http.request.method", request.Method.Method);
        activity.SetTag("server.address", baseAddress.Host);
        activity.SetTag("server.port", baseAddress.Port);
        activity.SetTag("url.path", request.Path);
        return activity;
    }

    public static void Retrying(Activity? activity, int attempt, string reason, TimeSpan delay)
    {
        activity?.AddEvent(new ActivityEvent("specgen.retry", tags: new ActivityTagsCollection
        {
            ["specgen.attempt"] = attempt,
            ["specgen.retry.reason"] = reason,
            ["specgen.retry.delay_ms"] = delay.TotalMilliseconds,
        }));
    }

    public static void Finish(Activity? activity, int attempts, int? status, Exception? failure)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("specgen.attempts", attempts);
        activity.SetTag("http.request.resend_count", attempts - 1);
        if (status is not null)
        {
            activity.SetTag("http.response.status_code", status.Value);
        }

        if (failure is not null)
        {
            // The type name only: messages can quote the server, and tags are exported as they are.
            string type = failure is ApiException api ? ((int)api.Status).ToString(CultureInfo.InvariantCulture) : failure.GetType().Name;
            activity.SetTag("error.type", type);
            activity.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
        }
    }
}
