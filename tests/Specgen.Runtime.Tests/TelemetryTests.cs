using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;

namespace Specgen.Runtime.Tests;

/// <summary>One activity per call on <see cref="ApiPipeline.ActivitySourceName"/>, an event per retry, and no secret in any of it.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_retried_call_is_one_activity_with_an_event_per_retry()
    {
        string operation = "getItem_" + Guid.NewGuid().ToString("N");
        using var recorder = new ActivityRecorder(operation);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(503), Respond.Error(429, "Slow down", ("retry-after-ms", "1500")), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, operation).AppendPath("/items/").AppendPathParameter("id", "item_1").AddQuery("secret_query", "q-SECRET"));
        await clock.RunThroughWaitsAsync(call, ApiClientOptions.DefaultTimeout);
        await call;

        Activity activity = Assert.Single(recorder.Finished);
        Assert.Equal(operation, activity.OperationName);
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal(operation, activity.GetTagItem("specgen.operation_id"));
        Assert.Equal("GET", activity.GetTagItem("http.request.method"));
        Assert.Equal("/items/item_1", activity.GetTagItem("url.path"));
        Assert.Equal("127.0.0.1", activity.GetTagItem("server.address"));
        Assert.Equal(200, activity.GetTagItem("http.response.status_code"));
        Assert.Equal(2, activity.GetTagItem("http.request.resend_count"));
        Assert.Equal(3, activity.GetTagItem("specgen.attempts"));
        Assert.Equal(ActivityStatusCode.Unset, activity.Status);

        ActivityEvent[] retries = activity.Events.Where(e => e.Name == "specgen.retry").ToArray();
        Assert.Equal(2, retries.Length);
        Assert.Equal(("status 503", 500.0), Describe(retries[0]));
        Assert.Equal(("status 429", 1500.0), Describe(retries[1]));
        AssertNoSecrets(activity);
    }

    [Fact]
    public async Task A_failed_call_records_the_error_type_and_status()
    {
        string operation = "deleteItem_" + Guid.NewGuid().ToString("N");
        using var recorder = new ActivityRecorder(operation);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(404, "No such item"));
        using TestClient client = TestClient.Retrying(server.BaseAddress, new ManualClock());

        await Assert.ThrowsAsync<NotFoundException>(() => client.Pipeline.SendAsync(new ApiRequest(HttpMethod.Delete, operation).AppendPath("/items/1"), null, default));

        Activity activity = Assert.Single(recorder.Finished);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal("404", activity.GetTagItem("error.type"));
        Assert.Equal(404, activity.GetTagItem("http.response.status_code"));
        Assert.Equal(0, activity.GetTagItem("http.request.resend_count"));
        Assert.Empty(activity.Events);
        AssertNoSecrets(activity);
    }

    [Fact]
    public async Task Without_a_listener_nothing_is_recorded_and_calls_still_work()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = TestClient.Retrying(server.BaseAddress, new ManualClock());

        ApiResponse<Item> response = await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "unobserved").AppendPath("/items/1"));

        Assert.Equal("item_1", response.Value.Id);
    }

    private static (string Reason, double DelayMs) Describe(ActivityEvent retry)
    {
        Dictionary<string, object?> tags = retry.Tags.ToDictionary(tag => tag.Key, tag => tag.Value);
        return ((string)tags["specgen.retry.reason"]!, (double)tags["specgen.retry.delay_ms"]!);
    }

    private static void AssertNoSecrets(Activity activity)
    {
        IEnumerable<string> texts = activity.Tags.Select(tag => tag.Key + "=" + tag.Value)
            .Concat(activity.Events.SelectMany(e => e.Tags.Select(tag => tag.Key + "=" + tag.Value)))
            .Append(activity.DisplayName)
            .Append(activity.StatusDescription ?? string.Empty);
        foreach (string text in texts)
        {
            Secrets.AssertNoneIn(text);
            Assert.DoesNotContain("q-SECRET", text, StringComparison.Ordinal);
        }
    }

    // Listens to the runtime's source and keeps the activities of one operation (tests run in parallel).
    private sealed class ActivityRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _finished = new();

        public ActivityRecorder(string operation)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ApiPipeline.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == operation)
                    {
                        _finished.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Finished => _finished.ToArray();

        public void Dispose() => _listener.Dispose();
    }
}
