using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Specgen.Runtime;

namespace Specgen.Generator.Tests;

/// <summary>
/// A generated client's credentials and servers on a real Kestrel: the typed credentials class
/// sets what each operation sends as its spec's security says, operations with their own server go
/// there (redirected here to loopback), and Swagger 2.0's security definitions and host work alike.
/// </summary>
public sealed class LoopbackSecurityTests
{
    [Fact]
    public async Task Each_operation_sends_the_credentials_of_the_first_requirement_the_typed_credentials_meet()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Security");
        await using RecordingServer server = await RecordingServer.StartAsync(RespondToVault);
        object credentials = Activator.CreateInstance(generated.Type("TestClientCredentials"))!;
        GeneratedAssembly.Set(credentials, "BearerAuth", (TokenCredential)"bearer-token");
        GeneratedAssembly.Set(credentials, "ApiKeyQuery", "query-key");
        GeneratedAssembly.Set(credentials, "ApiKeyCookie", "cookie-key");
        GeneratedAssembly.Set(credentials, "TokenAuth", "token-value");
        object client = Client(generated, server, credentials, apiKey: "sk-ignored-by-health");

        await GeneratedAssembly.CallAsync(client, "ListSecretsAsync", null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "GetSecretAsync", "db", null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "DeleteSecretAsync", "db", null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "GetHealthAsync", null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "UploadFileAsync", null, CancellationToken.None);

        Seen[] seen = server.Seen.ToArray();
        Assert.Equal(("GET", "/v2/secrets", "", "Bearer bearer-token"), (seen[0].Method, seen[0].Path, seen[0].Query, seen[0].Authorization));
        Assert.Equal(("/v2/secrets/db", "?key=query-key", "vault_session=cookie-key", null), (seen[1].Path, seen[1].Query, seen[1].Cookie, seen[1].Authorization));
        Assert.Equal(("DELETE", null), (seen[2].Method, seen[2].Authorization));
        Assert.Equal(("/v2/health", null), (seen[3].Path, seen[3].Authorization));
        Assert.Equal(("/upload-mock/files", "token token-value"), (seen[4].Path, seen[4].Authorization));
    }

    [Fact]
    public async Task Without_any_credential_an_operation_that_needs_one_names_the_generated_setting_and_sends_nothing()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Security");
        await using RecordingServer server = await RecordingServer.StartAsync(RespondToVault);
        object client = Client(generated, server, credentials: null, apiKey: null);

        MissingCredentialException error = await Assert.ThrowsAsync<MissingCredentialException>(
            () => GeneratedAssembly.CallAsync(client, "GetSecretAsync", "db", null, CancellationToken.None));

        Assert.Contains("TestClientCredentials.ApiKeyQuery", error.Message, StringComparison.Ordinal);
        Assert.Contains("TestClientCredentials.Oauth", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Seen);
    }

    [Fact]
    public async Task An_operation_on_a_server_of_its_own_goes_there_with_the_variables_at_their_defaults_unless_redirected()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Security");
        await using RecordingServer server = await RecordingServer.StartAsync(RespondToVault);
        object client = Client(generated, server, credentials: null, apiKey: "sk-key");

        await GeneratedAssembly.CallAsync(client, "GetFileAsync", "f1", null, CancellationToken.None);

        Seen seen = Assert.Single(server.Seen);
        Assert.Equal("/cdn-mock/files/f1", seen.Path);
        Assert.Equal("Bearer sk-key", seen.Authorization);
    }

    [Fact]
    public void The_servers_variables_become_a_typed_ServerAddress_method_with_the_specs_defaults()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Security");
        Type client = generated.Type("TestClient");
        object southAsia = generated.Type("ServerRegion").GetProperty("ApSouth")!.GetValue(null)!;

        var defaults = (Uri)client.GetMethod("ServerAddress")!.Invoke(null, new object?[] { null, null })!;
        var chosen = (Uri)client.GetMethod("ServerAddress")!.Invoke(null, new object?[] { southAsia, "v3" })!;

        Assert.Equal(new Uri("https://eu.vault.example.com/v2"), defaults);
        Assert.Equal(new Uri("https://ap-south.vault.example.com/v3"), chosen);
        Assert.Equal(defaults, client.GetField("DefaultBaseAddress")!.GetValue(null));
    }

    [Fact]
    public async Task A_Swagger_2_document_s_security_definitions_and_host_work_like_OpenAPI_3_s()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            swagger: "2.0"
            info: { title: Books, version: "3" }
            host: api.books.example
            basePath: /svc/books/v3
            schemes: [https]
            securityDefinitions:
              api-key: { type: apiKey, in: query, name: api-key }
            security:
              - api-key: []
            paths:
              /lists.json:
                get:
                  operationId: getLists
                  responses:
                    "204": { description: OK }
            """);
        await using RecordingServer server = await RecordingServer.StartAsync(RespondToVault);
        Type clientType = generated.Type("TestClient");
        object credentials = Activator.CreateInstance(generated.Type("TestClientCredentials"))!;
        GeneratedAssembly.Set(credentials, "ApiKey", "books-key");
        var options = new ApiClientOptions { BaseAddress = new Uri(server.BaseAddress, "svc"), Credentials = (ApiCredentials)credentials, MaxRetries = 0 };
        object client = Activator.CreateInstance(clientType, options, new HttpClient())!;

        await GeneratedAssembly.CallAsync(client, "GetListsAsync", null, CancellationToken.None);

        Assert.Equal(new Uri("https://api.books.example/svc/books/v3"), clientType.GetField("DefaultBaseAddress")!.GetValue(null));
        Assert.Equal(("/svc/lists.json", "?api-key=books-key"), (server.Seen.Single().Path, server.Seen.Single().Query));
    }

    // A JSON list for GET /v2/secrets, no content for the rest.
    private static async Task RespondToVault(HttpContext context)
    {
        if (context.Request.Path == "/v2/secrets")
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("[\"db\"]");
            return;
        }

        context.Response.StatusCode = 204;
    }

    private static object Client(GeneratedAssembly generated, RecordingServer server, object? credentials, string? apiKey)
    {
        var options = new ApiClientOptions { BaseAddress = new Uri(server.BaseAddress, "v2"), Credentials = (ApiCredentials?)credentials, ApiKey = apiKey, MaxRetries = 0 };
        options.ServerAddresses["https://files.vault.example.com/upload"] = new Uri(server.BaseAddress, "upload-mock");
        options.ServerAddresses["https://cdn1.vault.example.com"] = new Uri(server.BaseAddress, "cdn-mock");
        return Activator.CreateInstance(generated.Type("TestClient"), options, new HttpClient())!;
    }
}
