using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;
using Xunit.Abstractions;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// What every contract test class needs: the generated client pointed at one Prism with the key and
/// beta header the spec asks for, a recorder of what it sent, raw requests for bodies the client
/// would never send, and Prism's last lines in the output of a failed test.
/// </summary>
public abstract class PrismContractTestBase : IDisposable
{
    private const string ApiKey = "sk-prism-contract";

    private readonly PrismFixture _prism;
    private readonly ITestOutputHelper _output;
    private readonly HttpClient _http;

    protected PrismContractTestBase(PrismFixture prism, ITestOutputHelper output)
    {
        _prism = prism;
        _output = output;
        _http = new HttpClient(Recorder);
        var options = new ApiClientOptions { BaseAddress = prism.BaseAddress, ApiKey = ApiKey };
        options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        Client = new ThreadsClient(options, _http);
    }

    /// <summary>The Prism these tests talk to.</summary>
    protected PrismFixture Fixture => _prism;

    /// <summary>Every request the client sent, with its body.</summary>
    protected RecordingHandler Recorder { get; } = new();

    /// <summary>The generated client, sending through <see cref="Recorder"/> to Prism.</summary>
    protected ThreadsClient Client { get; }

    /// <summary>A client on the same connection without an API key.</summary>
    protected ThreadsClient ClientWithoutKey() => new(new ApiClientOptions { BaseAddress = _prism.BaseAddress }, _http);

    public void Dispose()
    {
        // Shown with a failed test: what Prism said about the requests.
        _output.WriteLine($"Prism mocks {_prism.SpecPath} at {_prism.BaseAddress}; its last lines:{Environment.NewLine}{_prism.Tail(20)}");
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static void AssertSuccess(ApiResponse response) =>
        Assert.True((int)response.Status is >= 200 and < 300, $"Prism answered {(int)response.Status}.");

    /// <summary>Sends <paramref name="json"/> (or no body) as the client would, but without the client's checks.</summary>
    protected async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(_prism.BaseAddress, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        using var http = new HttpClient();
        return await http.SendAsync(request);
    }

    /// <summary>Asserts Prism refused the request as not matching the spec and returns its problem document.</summary>
    protected static async Task<JsonElement> AssertUnprocessableAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"Expected 422, got {(int)response.StatusCode}: {body}");
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
