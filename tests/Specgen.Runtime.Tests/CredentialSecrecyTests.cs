using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Specgen.Runtime.Tests;

/// <summary>
/// Distinctive secrets of every kind of credential go through successes, refusals, retries, a
/// failing token endpoint and a missing credential, with the dependency-injection package's logs,
/// every activity of every source and every exception captured; none of them holds a secret.
/// </summary>
public sealed class CredentialSecrecyTests
{
    private const string HeaderKey = "hdr-SECRET-1a";
    private const string QueryKey = "qry-SECRET-2b";
    private const string CookieKey = "ck-SECRET-3c";
    private const string Password = "basic-SECRET-4d";
    private const string ClientId = "cid-SECRET-5e";
    private const string ClientSecret = "csec-SECRET-6f";
    private const string TokenPrefix = "tok-SECRET-7g";
    private const string ApiKey = "sk-SECRET-8h";

    private static readonly SecurityScheme Header = SecurityScheme.ApiKey("header", "X-Key", ApiKeyLocation.Header, "Credentials.Header");
    private static readonly SecurityScheme Query = SecurityScheme.ApiKey("query", "key", ApiKeyLocation.Query, "Credentials.Query");
    private static readonly SecurityScheme Cookie = SecurityScheme.ApiKey("cookie", "sid", ApiKeyLocation.Cookie, "Credentials.Cookie");
    private static readonly SecurityScheme Basic = SecurityScheme.Http("basic", "basic", "Credentials.Basic");
    private static readonly SecurityScheme Unset = SecurityScheme.Http("unset", "digest", "Credentials.Unset");

    [Fact]
    public async Task No_secret_reaches_a_log_a_trace_an_exception_or_a_description()
    {
        var captured = new ConcurrentQueue<string>();
        using ActivityListener listener = ListenToEverything(captured);
        int tokens = 0;
        string apiMode = "ok";
        string tokenMode = "ok";
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/token")
            {
                await (tokenMode == "ok"
                    ? Respond.Json($"{{\"access_token\":\"{TokenPrefix}-{Interlocked.Increment(ref tokens)}\",\"expires_in\":3600}}")
                    : Respond.Json($"{{\"error\":\"invalid_client\",\"error_description\":\"no such client\"}}", status: 401))(context);
                return;
            }

            await (apiMode switch
            {
                "401" => Respond.Json("""{"error":{"message":"Denied."}}""", status: 401),
                "500" => Respond.Error(500),
                _ => Respond.Item(),
            })(context);
        });
        var oauth = SecurityScheme.OAuth2("oauth", new Uri(server.BaseAddress, "token"), "Credentials.OAuth");
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSpecgenClient<SecretsClient>(
            options =>
            {
                options.BaseAddress = new Uri(server.BaseAddress, "v1");
                options.ApiKey = ApiKey;
                options.MaxRetries = 1;
                options.InitialRetryDelay = TimeSpan.Zero;
                options.Credentials = new TestCredentials
                {
                    ["header"] = HeaderKey,
                    ["query"] = QueryKey,
                    ["cookie"] = CookieKey,
                    ["basic"] = new BasicCredential("user", Password),
                    ["oauth"] = TokenCredential.ClientCredentials(ClientId, ClientSecret),
                };
            },
            (options, http) =>
            {
                captured.Enqueue(options.ToString());
                captured.Enqueue(options.Credentials!.ToString()!);
                return new SecretsClient(options, http);
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        SecretsClient client = provider.GetRequiredService<SecretsClient>();
        var everyKey = new SecurityRequirement(Header, Query, Cookie);

        await client.CallAsync(everyKey);
        await client.CallAsync(new SecurityRequirement(Basic));
        await client.CallAsync(new SecurityRequirement(oauth));
        await client.CallAsync(new SecurityRequirement(Unset), new SecurityRequirement(Query));
        apiMode = "401";
        captured.Enqueue((await Assert.ThrowsAsync<AuthenticationException>(() => client.CallAsync(new SecurityRequirement(oauth)))).ToString());
        captured.Enqueue((await Assert.ThrowsAsync<AuthenticationException>(() => client.CallAsync(everyKey))).ToString());
        apiMode = "500";
        ServerErrorException serverError = await Assert.ThrowsAsync<ServerErrorException>(() => client.CallAsync(everyKey, new SecurityRequirement(Basic)));
        captured.Enqueue(serverError.ToString());
        captured.Enqueue(string.Join("\n", serverError.Headers.Select(h => h.Key + ": " + h.Value)));
        captured.Enqueue((await Assert.ThrowsAsync<MissingCredentialException>(() => client.CallAsync(new SecurityRequirement(Unset)))).ToString());
        tokenMode = "refuse";
        var refusing = new SecretsClient(new ApiClientOptions
        {
            BaseAddress = new Uri(server.BaseAddress, "v1"),
            MaxRetries = 0,
            Credentials = new TestCredentials { ["oauth"] = TokenCredential.ClientCredentials(ClientId, ClientSecret) },
        });
        captured.Enqueue((await Assert.ThrowsAsync<TokenRequestException>(() => refusing.CallAsync(new SecurityRequirement(oauth)))).ToString());

        string everything = string.Join("\n", captured.Concat(logs.Messages));
        Assert.Contains(logs.Messages, message => message.Contains("/v1/items/1", StringComparison.Ordinal));
        Assert.True(tokens >= 2, "The token endpoint should have issued a token and a second one after the 401.");
        Assert.Contains("qry", server.Requests[0].QueryString, StringComparison.Ordinal);
        Assert.Contains("getItem", everything, StringComparison.Ordinal);
        string basicHeader = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Password));
        foreach (string secret in new[] { HeaderKey, QueryKey, CookieKey, Password, ClientId, ClientSecret, TokenPrefix, ApiKey, basicHeader })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    // Every activity of every source (ours and HttpClient's): names, tags, events and their tags, status.
    private static ActivityListener ListenToEverything(ConcurrentQueue<string> captured)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = new StringBuilder(activity.Source.Name).Append(' ').Append(activity.DisplayName).Append(' ').Append(activity.StatusDescription);
                foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
                {
                    text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
                }

                foreach (ActivityEvent activityEvent in activity.Events)
                {
                    text.Append(' ').Append(activityEvent.Name);
                    foreach (KeyValuePair<string, object?> tag in activityEvent.Tags)
                    {
                        text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
                    }
                }

                captured.Enqueue(text.ToString());
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>A client in the generated shape whose one operation takes its security requirements as an argument.</summary>
    public sealed class SecretsClient(ApiClientOptions options, HttpClient? httpClient = null)
    {
        private readonly ApiPipeline _pipeline = new(options, new Uri("https://secrets.example.invalid/v1"), httpClient);

        public Task<ApiResponse<Item>> CallAsync(params SecurityRequirement[] security) =>
            _pipeline.SendAsync(new ApiRequest(HttpMethod.Get, "getItem") { Security = security }.AppendPath("/items/1").AddCookie("theme", "dark"), Readers.ReadItem, null, default);
    }
}
