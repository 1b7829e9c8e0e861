using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Specgen.Generator.Model;
using Specgen.Generator.Tests;
using Specgen.Runtime;

namespace Specgen.Conformance.Tests.Sweep;

/// <summary>The options of a generated client that talks to Prism: its root, no retries, a timeout per try, and a secret for every credential.</summary>
internal static class ClientSetup
{
    /// <summary>Distinctive, so that a secret Prism or a log shows can be traced to the setting that sent it.</summary>
    public const string ApiKey = "sweep-api-key";

    /// <param name="notes">What was set besides the API key, in words, for the test output.</param>
    public static ApiClientOptions Options(Uri prismRoot, TimeSpan timeoutPerTry, GeneratedAssembly generated, ClientModel client, out IReadOnlyList<string> notes)
    {
        var options = new ApiClientOptions
        {
            BaseAddress = prismRoot,
            MaxRetries = 0,
            Timeout = timeoutPerTry,
            ApiKey = ApiKey,
        };
        notes = SetCredentialsAndServers(options, generated, client, prismRoot);
        return options;
    }

    /// <summary>
    /// A distinctive secret for every security scheme the document declares, through the generated
    /// <c>{Client}Credentials</c> (so Prism, which checks that each requirement's credentials are
    /// there, never refuses a call for want of one), and Prism's root for every server an operation
    /// has of its own (Prism serves every path of the document at its root).
    /// </summary>
    /// <returns>What was set, for the test output.</returns>
    public static IReadOnlyList<string> SetCredentialsAndServers(ApiClientOptions options, GeneratedAssembly generated, ClientModel client, Uri prismRoot)
    {
        var notes = new List<string>();
        if (client.CredentialsName is { } credentialsName)
        {
            var credentials = (ApiCredentials)Activator.CreateInstance(generated.Assembly.GetType($"{client.Namespace}.{credentialsName}", throwOnError: true)!)!;
            foreach (PropertyInfo scheme in credentials.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                scheme.SetValue(credentials, SecretFor(scheme));
                notes.Add($"credential {scheme.Name} ({scheme.PropertyType.Name})");
            }

            options.Credentials = credentials;
        }
        else
        {
            notes.Add("the document declares no security scheme: only ApiKey is set");
        }

        var servers = AllOperations(client).Select(o => o.Server).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (string server in servers)
        {
            options.ServerAddresses[server] = prismRoot;
        }

        notes.Add($"{servers.Count} operation server(s) sent to Prism");
        return notes;
    }

    /// <summary>Every operation of the client, on the client itself or in the class of a tag.</summary>
    public static IEnumerable<OperationModel> AllOperations(ClientModel client) =>
        client.Operations.Concat(client.Groups.SelectMany(g => g.Operations));

    private static object SecretFor(PropertyInfo scheme)
    {
        string secret = "sweep-secret-" + scheme.Name;
        Type type = scheme.PropertyType;
        if (type == typeof(string))
        {
            return secret;
        }

        if (type == typeof(BasicCredential))
        {
            return new BasicCredential("sweep-user", "sweep-password-" + scheme.Name);
        }

        if (type == typeof(TokenCredential))
        {
            return TokenCredential.FromToken(secret);
        }

        throw new InvalidOperationException($"The credential {scheme.DeclaringType?.Name}.{scheme.Name} is a {type.FullName}, which no security scheme makes.");
    }
}
