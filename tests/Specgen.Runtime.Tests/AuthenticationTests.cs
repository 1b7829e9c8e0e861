using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>
/// Credentials reach the wire as each operation's security requirements say, over a real socket:
/// API keys in a header, the query or a cookie, HTTP basic and bearer, other HTTP schemes, token
/// providers, alternatives and combinations, <c>security: []</c>, and what happens without them.
/// </summary>
public sealed class AuthenticationTests
{
    private static readonly SecurityScheme HeaderKey = SecurityScheme.ApiKey("api_key", "X-Api-Key", ApiKeyLocation.Header, "TestCredentials.ApiKey");
    private static readonly SecurityScheme QueryKey = SecurityScheme.ApiKey("query_key", "api-key", ApiKeyLocation.Query, "TestCredentials.QueryKey");
    private static readonly SecurityScheme CookieKey = SecurityScheme.ApiKey("cookie_key", "session", ApiKeyLocation.Cookie, "TestCredentials.CookieKey");
    private static readonly SecurityScheme Basic = SecurityScheme.Http("basic_auth", "Basic", "TestCredentials.BasicAuth");
    private static readonly SecurityScheme Bearer = SecurityScheme.Http("bearer_auth", "bearer", "TestCredentials.BearerAuth");
    private static readonly SecurityScheme TokenScheme = SecurityScheme.Http("token_auth", "token", "TestCredentials.TokenAuth");
    private static readonly SecurityScheme OpenId = SecurityScheme.OpenIdConnect("oidc", "TestCredentials.Oidc");
    private static readonly SecurityScheme Certificate = SecurityScheme.MutualTls("mtls");

    [Fact]
    public async Task An_API_key_in_a_header_goes_under_the_name_the_spec_gives()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["api_key"] = "key-in-header" });

        await client.GetItemAsync(Request(new SecurityRequirement(HeaderKey)));

        RecordedRequest sent = Assert.Single(server.Requests);
        Assert.Equal("key-in-header", sent.Header("X-Api-Key"));
        Assert.Null(sent.Header("Authorization"));
    }

    [Fact]
    public async Task An_API_key_in_the_query_is_appended_after_the_operations_own_query_and_never_shows_in_the_request_text()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["query_key"] = "key in/query" });
        ApiRequest request = Request(new SecurityRequirement(QueryKey)).AddQuery("limit", 2L);

        await client.GetItemAsync(request);

        Assert.Equal("?limit=2&api-key=key%20in%2Fquery", Assert.Single(server.Requests).QueryString);
        Assert.Equal("GET /items/1?limit=2", request.ToString());
    }

    [Fact]
    public async Task An_API_key_in_a_cookie_joins_the_cookie_parameters_in_one_header()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["cookie_key"] = "cookie-value" });

        await client.GetItemAsync(Request(new SecurityRequirement(CookieKey)).AddCookie("theme", "dark"));

        Assert.Equal("theme=dark; session=cookie-value", Assert.Single(server.Requests).Header("Cookie"));
    }

    [Fact]
    public async Task HTTP_basic_sends_the_user_and_password_in_base64_whatever_case_the_spec_gives_the_scheme()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["basic_auth"] = new BasicCredential("AC123", "tökén") });

        await client.GetItemAsync(Request(new SecurityRequirement(Basic)));

        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC123:tökén"));
        Assert.Equal(expected, Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task A_bearer_token_from_a_provider_is_asked_for_on_every_call()
    {
        int asked = 0;
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials
        {
            ["bearer_auth"] = TokenCredential.FromProvider(_ => new ValueTask<string>("token-" + Interlocked.Increment(ref asked))),
        });

        await client.GetItemAsync(Request(new SecurityRequirement(Bearer)));
        await client.GetItemAsync(Request(new SecurityRequirement(Bearer)));

        Assert.Equal(new[] { "Bearer token-1", "Bearer token-2" }, new[] { server.Requests[0].Header("Authorization"), server.Requests[1].Header("Authorization") });
    }

    [Fact]
    public async Task A_fixed_token_converts_from_a_string_and_an_OpenID_Connect_scheme_sends_it_as_a_bearer_token()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        TokenCredential token = "oidc-access-token";
        using TestClient client = Client(server, new TestCredentials { ["oidc"] = token });

        await client.GetItemAsync(Request(new SecurityRequirement(OpenId)));

        Assert.Equal("Bearer oidc-access-token", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Another_HTTP_scheme_sends_its_own_name_and_the_value()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["token_auth"] = "abc123" });

        await client.GetItemAsync(Request(new SecurityRequirement(TokenScheme)));

        Assert.Equal("token abc123", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task The_first_alternative_the_credentials_meet_is_sent_and_only_that_one()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["query_key"] = "q", ["api_key"] = "h" });

        await client.GetItemAsync(Request(new SecurityRequirement(Basic), new SecurityRequirement(HeaderKey), new SecurityRequirement(QueryKey)));

        RecordedRequest sent = Assert.Single(server.Requests);
        Assert.Equal("h", sent.Header("X-Api-Key"));
        Assert.Equal(string.Empty, sent.QueryString);
        Assert.Null(sent.Header("Authorization"));
    }

    [Fact]
    public async Task Schemes_of_one_requirement_are_all_sent_together()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["api_key"] = "h", ["basic_auth"] = new BasicCredential("u", "p") });

        await client.GetItemAsync(Request(new SecurityRequirement(HeaderKey, Basic)));

        RecordedRequest sent = Assert.Single(server.Requests);
        Assert.Equal("h", sent.Header("X-Api-Key"));
        Assert.StartsWith("Basic ", sent.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_with_security_none_sends_no_credential_even_with_an_API_key_set()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["api_key"] = "h" }, apiKey: TestClient.ApiKey);

        await client.GetItemAsync(Request());

        RecordedRequest sent = Assert.Single(server.Requests);
        Assert.Null(sent.Header("Authorization"));
        Assert.Null(sent.Header("X-Api-Key"));
    }

    [Fact]
    public async Task An_anonymous_alternative_sends_nothing_without_credentials_and_the_credentials_when_they_are_set()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient without = Client(server, new TestCredentials());
        using TestClient with = Client(server, new TestCredentials { ["api_key"] = "h" });

        await without.GetItemAsync(Request(new SecurityRequirement(), new SecurityRequirement(HeaderKey)));
        await with.GetItemAsync(Request(new SecurityRequirement(), new SecurityRequirement(HeaderKey)));

        Assert.Null(server.Requests[0].Header("X-Api-Key"));
        Assert.Equal("h", server.Requests[1].Header("X-Api-Key"));
    }

    [Fact]
    public async Task Without_the_credentials_an_operation_needs_nothing_is_sent_and_the_error_names_each_scheme_and_its_setting()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials { ["basic_auth"] = new BasicCredential("u", "p") });

        MissingCredentialException error = await Assert.ThrowsAsync<MissingCredentialException>(
            () => client.GetItemAsync(Request(new SecurityRequirement(HeaderKey, Basic), new SecurityRequirement(QueryKey))));

        Assert.Equal(0, server.RequestCount);
        Assert.Equal("getItem", error.OperationId);
        Assert.Equal(2, error.Requirements.Count);
        Assert.Contains("'api_key' (an API key in the header 'X-Api-Key') from TestCredentials.ApiKey or ApiClientOptions.ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("'query_key' (an API key in the query 'api-key') from TestCredentials.QueryKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiClientOptions.Credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_key_supplies_an_API_key_scheme_and_a_bearer_scheme_that_have_no_credential_of_their_own()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, credentials: null, apiKey: "sk-shared");

        await client.GetItemAsync(Request(new SecurityRequirement(HeaderKey)));
        await client.GetItemAsync(Request(new SecurityRequirement(Bearer)));
        await Assert.ThrowsAsync<MissingCredentialException>(() => client.GetItemAsync(Request(new SecurityRequirement(Basic))));

        Assert.Equal("sk-shared", server.Requests[0].Header("X-Api-Key"));
        Assert.Equal("Bearer sk-shared", server.Requests[1].Header("Authorization"));
    }

    [Fact]
    public async Task An_operation_whose_spec_declares_no_security_sends_the_API_key_as_a_bearer_token()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, credentials: null, apiKey: "sk-undeclared");

        ApiRequest request = new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1");
        await client.GetItemAsync(request);

        Assert.Equal("Bearer sk-undeclared", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task A_credential_the_caller_sends_by_hand_meets_the_scheme_and_is_sent_as_given()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, credentials: null, configure: options => options.DefaultHeaders["Authorization"] = "Basic by-hand");
        var perCall = new RequestOptions();
        perCall.QueryParameters.Add(new KeyValuePair<string, string>("api-key", "by-hand"));

        await client.GetItemAsync(Request(new SecurityRequirement(Basic)));
        await client.GetItemAsync(Request(new SecurityRequirement(QueryKey)), perCall);

        Assert.Equal("Basic by-hand", server.Requests[0].Header("Authorization"));
        Assert.Equal("?api-key=by-hand", server.Requests[1].QueryString);
    }

    [Fact]
    public async Task Mutual_TLS_is_left_to_the_handler_and_never_stops_a_call()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = Client(server, new TestCredentials());

        await client.GetItemAsync(Request(new SecurityRequirement(Certificate)));

        Assert.Null(Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public void Credentials_and_schemes_describe_themselves_without_a_secret()
    {
        var credentials = new TestCredentials
        {
            ["api_key"] = "sk-distinct-HEADER",
            ["basic_auth"] = new BasicCredential("user-name", "pass-distinct-BASIC"),
            ["bearer_auth"] = TokenCredential.ClientCredentials("client-distinct-ID", "secret-distinct-CLIENT"),
        };
        var options = new ApiClientOptions { Credentials = credentials, ApiKey = "sk-distinct-OPTIONS" };

        string described = string.Join("\n", credentials.ToString(), options.ToString(), credentials["basic_auth"]!.ToString(), credentials["bearer_auth"]!.ToString(), HeaderKey.ToString());

        foreach (string secret in new[] { "sk-distinct-HEADER", "pass-distinct-BASIC", "client-distinct-ID", "secret-distinct-CLIENT", "sk-distinct-OPTIONS" })
        {
            Assert.DoesNotContain(secret, described, StringComparison.Ordinal);
        }

        Assert.Contains("api_key = (set)", described, StringComparison.Ordinal);
        Assert.Contains("user-name", described, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credential_of_the_wrong_shape_is_refused_when_it_is_set()
    {
        var credentials = new TestCredentials();

        Assert.Throws<ArgumentException>(() => credentials["api_key"] = 42);
        Assert.Throws<ArgumentException>(() => credentials["api_key"] = "line\nbreak");
        Assert.Throws<ArgumentException>(() => new BasicCredential("user:name", "p"));
    }

    private static ApiRequest Request(params SecurityRequirement[] alternatives) =>
        new ApiRequest(HttpMethod.Get, "getItem") { Security = alternatives }.AppendPath("/items/1");

    private static TestClient Client(LoopbackServer server, TestCredentials? credentials, string? apiKey = null, Action<ApiClientOptions>? configure = null) =>
        new(server, options =>
        {
            options.Credentials = credentials;
            options.ApiKey = apiKey;
            configure?.Invoke(options);
        });
}

/// <summary>A stand-in for a generated credentials class: the generated one has a typed property per scheme instead of an indexer.</summary>
public sealed class TestCredentials : ApiCredentials
{
    public object? this[string scheme]
    {
        get => Get<object>(scheme);
        set => Set(scheme, value);
    }
}
