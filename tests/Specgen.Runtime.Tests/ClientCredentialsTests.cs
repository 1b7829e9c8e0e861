using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>
/// The OAuth 2.0 client-credentials flow the pipeline runs itself, against a token endpoint and an
/// API on one real Kestrel: the token is fetched once, kept until shortly before it expires (on a
/// fake clock), fetched again after a 401, and neither the secret nor the token ever shows.
/// </summary>
public sealed class ClientCredentialsTests
{
    private const string ClientId = "client-id-DISTINCT";
    private const string ClientSecret = "client-secret-DISTINCT";

    [Fact]
    public async Task The_first_call_fetches_a_token_with_the_client_authenticated_by_basic_and_later_calls_reuse_it()
    {
        var tokens = new TokenEndpoint(expiresIn: 3600);
        await using LoopbackServer server = await LoopbackServer.StartAsync(tokens.Handle);
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret));

        await client.GetItemAsync(Request(client, scopes: new[] { "items:read", "items:write" }));
        await client.GetItemAsync(Request(client, scopes: new[] { "items:read", "items:write" }));

        RecordedRequest tokenRequest = Assert.Single(server.Requests, r => r.Path == "/token");
        Assert.Equal("POST", tokenRequest.Method);
        Assert.Equal("grant_type=client_credentials&scope=items%3Aread+items%3Awrite", tokenRequest.BodyText);
        Assert.StartsWith("application/x-www-form-urlencoded", tokenRequest.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret)), tokenRequest.Header("Authorization"));
        Assert.All(server.Requests.Where(r => r.Path != "/token"), api => Assert.Equal("Bearer access-1", api.Header("Authorization")));
    }

    [Fact]
    public async Task The_token_is_kept_until_a_minute_before_it_expires_and_fetched_again_then()
    {
        var clock = new ManualClock();
        var tokens = new TokenEndpoint(expiresIn: 3600);
        await using LoopbackServer server = await LoopbackServer.StartAsync(tokens.Handle);
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret), clock);

        await client.GetItemAsync(Request(client));
        clock.Advance(TimeSpan.FromSeconds(3600 - 61));
        await client.GetItemAsync(Request(client));
        clock.Advance(TimeSpan.FromSeconds(2));
        await client.GetItemAsync(Request(client));

        Assert.Equal(new[] { "Bearer access-1", "Bearer access-1", "Bearer access-2" }, ApiAuthorizations(server));
        Assert.Equal(2, tokens.Issued);
    }

    [Fact]
    public async Task A_token_with_a_short_life_is_renewed_halfway_and_one_without_expires_in_is_kept()
    {
        var clock = new ManualClock();
        var shortLived = new TokenEndpoint(expiresIn: 20);
        await using LoopbackServer server = await LoopbackServer.StartAsync(shortLived.Handle);
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret), clock);

        await client.GetItemAsync(Request(client));
        clock.Advance(TimeSpan.FromSeconds(9));
        await client.GetItemAsync(Request(client));
        clock.Advance(TimeSpan.FromSeconds(2));
        await client.GetItemAsync(Request(client));

        Assert.Equal(new[] { "Bearer access-1", "Bearer access-1", "Bearer access-2" }, ApiAuthorizations(server));

        var forever = new TokenEndpoint(expiresIn: null);
        await using LoopbackServer other = await LoopbackServer.StartAsync(forever.Handle);
        using OAuthClient kept = Client(other, TokenCredential.ClientCredentials(ClientId, ClientSecret), clock);
        await kept.GetItemAsync(Request(kept));
        clock.Advance(TimeSpan.FromDays(30));
        await kept.GetItemAsync(Request(kept));
        Assert.Equal(1, forever.Issued);
    }

    [Fact]
    public async Task After_a_401_to_a_fetched_token_the_call_fetches_a_new_one_and_tries_once_more_outside_its_retries()
    {
        var tokens = new TokenEndpoint(expiresIn: 3600) { RefuseApiCalls = 1 };
        await using LoopbackServer server = await LoopbackServer.StartAsync(tokens.Handle);
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret));

        ApiResponse<Item> response = await client.GetItemAsync(Request(client));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(new[] { "Bearer access-1", "Bearer access-2" }, ApiAuthorizations(server));
    }

    [Fact]
    public async Task A_second_401_is_the_API_s_answer_and_the_call_fails_with_it()
    {
        var tokens = new TokenEndpoint(expiresIn: 3600) { RefuseApiCalls = int.MaxValue };
        await using LoopbackServer server = await LoopbackServer.StartAsync(tokens.Handle);
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret));

        AuthenticationException error = await Assert.ThrowsAsync<AuthenticationException>(() => client.GetItemAsync(Request(client)));

        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, tokens.Issued);
        AssertNoSecretIn(error.ToString());
    }

    [Fact]
    public async Task The_secret_can_go_in_the_form_instead_and_a_token_url_given_in_code_wins_over_the_spec()
    {
        var tokens = new TokenEndpoint(expiresIn: 3600, path: "/other-token");
        await using LoopbackServer server = await LoopbackServer.StartAsync(tokens.Handle);
        var credential = TokenCredential.ClientCredentials(ClientId, ClientSecret, scopes: new[] { "custom" }, tokenUrl: new Uri(server.BaseAddress, "other-token"), secretInBody: true);
        using OAuthClient client = Client(server, credential);

        await client.GetItemAsync(Request(client, scopes: new[] { "from-spec" }));

        RecordedRequest tokenRequest = Assert.Single(server.Requests, r => r.Path == "/other-token");
        Assert.Equal("grant_type=client_credentials&scope=custom&client_id=client-id-DISTINCT&client_secret=client-secret-DISTINCT", tokenRequest.BodyText);
        Assert.Null(tokenRequest.Header("Authorization"));
    }

    [Fact]
    public async Task A_refusal_from_the_token_endpoint_is_a_TokenRequestException_with_its_error_and_nothing_secret()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Json("""{"error":"invalid_client","error_description":"Client authentication failed."}""", status: 401));
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret));

        TokenRequestException error = await Assert.ThrowsAsync<TokenRequestException>(() => client.GetItemAsync(Request(client)));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal("invalid_client", error.Error);
        Assert.Equal("Client authentication failed.", error.ErrorDescription);
        Assert.Equal("oauth", error.Scheme);
        Assert.Contains("could not get an access token for 'oauth'", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        AssertNoSecretIn(error.ToString());
    }

    [Fact]
    public async Task A_token_response_without_an_access_token_is_reported_as_such()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Json("""{"token_type":"bearer"}"""));
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret));

        TokenRequestException error = await Assert.ThrowsAsync<TokenRequestException>(() => client.GetItemAsync(Request(client)));

        Assert.Contains("no access_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_at_once_share_one_fetch()
    {
        var tokens = new TokenEndpoint(expiresIn: 3600) { TokenDelay = TimeSpan.FromMilliseconds(200) };
        await using LoopbackServer server = await LoopbackServer.StartAsync(tokens.Handle);
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret));

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetItemAsync(Request(client))));

        Assert.Equal(1, tokens.Issued);
        Assert.All(ApiAuthorizations(server), value => Assert.Equal("Bearer access-1", value));
    }

    [Fact]
    public async Task A_scheme_without_a_client_credentials_flow_needs_the_token_url_in_code()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        var scheme = SecurityScheme.OAuth2("oauth", tokenUrl: null, "TestCredentials.OAuth");
        using OAuthClient client = Client(server, TokenCredential.ClientCredentials(ClientId, ClientSecret));

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem") { Security = new[] { new SecurityRequirement(scheme) } }.AppendPath("/items/1")));

        Assert.Contains("pass tokenUrl to TokenCredential.ClientCredentials", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    private static void AssertNoSecretIn(string text)
    {
        Assert.DoesNotContain(ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientId, text, StringComparison.Ordinal);
        Assert.DoesNotContain("access-", text, StringComparison.Ordinal);
    }

    private static string?[] ApiAuthorizations(LoopbackServer server) =>
        server.Requests.Where(r => r.Path != "/token").Select(r => r.Header("Authorization")).ToArray();

    private static ApiRequest Request(OAuthClient client, string[]? scopes = null) =>
        new ApiRequest(HttpMethod.Get, "getItem")
        {
            Security = new[] { new SecurityRequirement(new[] { client.Scheme }, new[] { scopes ?? Array.Empty<string>() }) },
        }.AppendPath("/items/1");

    private static OAuthClient Client(LoopbackServer server, TokenCredential credential, ManualClock? clock = null) =>
        new(
            new TestClient(server, options =>
            {
                options.Credentials = new TestCredentials { ["oauth"] = credential };
                options.Timeout = Timeout.InfiniteTimeSpan;
                if (clock is not null)
                {
                    options.TimeProvider = clock;
                }
            }),
            // As a generated client declares it, with the spec's token URL (here the test server's).
            SecurityScheme.OAuth2("oauth", new Uri(server.BaseAddress, "token"), "TestCredentials.OAuth"));

    /// <summary>A pipeline with a client-credentials token, and the scheme its requests name.</summary>
    private sealed record OAuthClient(TestClient Pipeline, SecurityScheme Scheme) : IDisposable
    {
        public Task<ApiResponse<Item>> GetItemAsync(ApiRequest request) => Pipeline.GetItemAsync(request);

        public void Dispose() => Pipeline.Dispose();
    }

    /// <summary>A token endpoint at <c>/token</c> and an API that takes the tokens it issued.</summary>
    private sealed class TokenEndpoint(int? expiresIn, string path = "/token")
    {
        private int _issued;
        private int _refused;

        public int Issued => Volatile.Read(ref _issued);

        /// <summary>How many API calls to refuse with 401 before taking tokens.</summary>
        public int RefuseApiCalls { get; init; }

        public TimeSpan TokenDelay { get; init; }

        public async Task Handle(HttpContext context)
        {
            if (context.Request.Path == path)
            {
                await Task.Delay(TokenDelay);
                int number = Interlocked.Increment(ref _issued);
                string lifetime = expiresIn is { } seconds ? $",\"expires_in\":{seconds}" : string.Empty;
                await Respond.Json($"{{\"access_token\":\"access-{number}\",\"token_type\":\"Bearer\"{lifetime}}}")(context);
                return;
            }

            if (Interlocked.Increment(ref _refused) <= RefuseApiCalls)
            {
                await Respond.Json("""{"error":{"message":"The token was revoked.","type":"invalid_request_error"}}""", status: 401)(context);
                return;
            }

            await Respond.Item()(context);
        }
    }
}
