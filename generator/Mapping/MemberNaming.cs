using System;
using System.Collections.Generic;
using System.Linq;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// The naming pass for every name generated code uses besides the spec's own: the members each
/// kind of generated type already has (so that a spec name cannot hide them), a model's backing
/// fields, presence flags and reader locals, a union's discriminator member, and the private
/// helpers of a client class (request builders, the error-reader and security tables). Each is
/// chosen once, here, against every name it could collide with; emitters only write them.
/// </summary>
internal static class MemberNaming
{
    /// <summary>The names a model class gives its own members: no property may take one.</summary>
    public static IEnumerable<string> ModelMembers(string typeName) =>
        new[] { typeName, "AdditionalProperties", "Validate", NameScope.Converter }.Concat(NameScope.ObjectMembers);

    /// <summary>The names a union gives its own members (<c>Unknown</c> also stands for <c>IsUnknown</c> and <c>FromUnknown</c>): no variant may take one.</summary>
    public static IEnumerable<string> UnionMembers(string typeName) =>
        new[] { typeName, "Value", "Unknown", "Kind" }.Concat(NameScope.ObjectMembers);

    /// <summary>
    /// The parameters and locals of every generated operation method: a spec parameter of the
    /// same name takes the next free one instead.
    /// </summary>
    public static readonly string[] OperationArguments =
    {
        "body", "options", "cancellationToken", "request", "nextCursor", "nextOffset", "nextPage", "pageCancellationToken",
        "listPage", "lastItem", "pollInterval", "response", "pollAfter", "current", "token",
    };

    /// <summary>The names an extensible enum gives its own members: no value's member may take one.</summary>
    public static IEnumerable<string> EnumMembers(string typeName) => new[] { typeName, "Value" }.Concat(NameScope.ObjectMembers);

    /// <summary>Members of the runtime's <c>ApiCredentials</c> that a scheme's property must not hide.</summary>
    public static IEnumerable<string> CredentialsMembers => NameScope.ObjectMembers.Concat(new[] { "Get", "Set", "Find", "Snapshot" });

    /// <summary>The client's member that an operation's methods must not hide (every other member ends in <c>Async</c>).</summary>
    public static readonly string[] OperationMethodReserved = { "Pipeline" };

    /// <summary>The parameters of <c>ServerAddress(...)</c> besides the server's variables, kept free for later ones.</summary>
    public static readonly string[] ServerAddressReserved = { "options", "cancellationToken" };

    /// <summary>The parameters and lambda parameters of <c>Poll{Name}Async</c> besides the resource.</summary>
    private static readonly string[] PollArguments = { "pollInterval", "options", "cancellationToken", "current", "token" };

    /// <summary>The parameter of <c>Poll{Name}Async</c> that takes the resource <paramref name="pollerName"/>.</summary>
    public static string PollParameter(string pollerName) => new NameScope(PollArguments).Claim(Naming.Camel(pollerName));

    /// <summary>The JSON type-info resolver of the client <paramref name="clientName"/>.</summary>
    public static string ResolverName(string clientName) => clientName + "JsonTypeInfoResolver";

    /// <summary>The type names a document's schemas may not take: the client's own and its interface's, and the types nested in every model and union.</summary>
    public static IEnumerable<string> ReservedTypeNames(string clientName) => new[] { clientName, InterfaceOf(clientName), ResolverName(clientName), NameScope.Converter, NameScope.VariantKind };

    /// <summary>The interface of the client or tag class <paramref name="className"/>.</summary>
    public static string InterfaceOf(string className) => "I" + className;

    /// <summary>Our extension that names a schema's type, a property, a parameter or an operation's methods.</summary>
    public const string NameExtension = "x-specgen-name";

    /// <summary>
    /// The name <c>x-specgen-name</c> asks for among <paramref name="extensions"/>, or null when it is
    /// absent or malformed (then reported as SPEC007 at <paramref name="pointer"/>).
    /// </summary>
    public static string? Requested(IDictionary<string, Microsoft.OpenApi.IOpenApiExtension>? extensions, MappingContext context, string pointer)
    {
        if (extensions is null || !extensions.TryGetValue(NameExtension, out Microsoft.OpenApi.IOpenApiExtension? extension))
        {
            return null;
        }

        if (extension is Microsoft.OpenApi.JsonNodeExtension { Node: System.Text.Json.Nodes.JsonValue value }
            && value.TryGetValue(out string? name)
            && name.Any(char.IsLetter))
        {
            return name;
        }

        context.IgnoreExtension(NameExtension, "it must be a name (a string with a letter in it)", pointer + "/" + NameExtension);
        return null;
    }

    /// <summary>The parameters and locals of a model's <c>ReadValue</c>: a member's local takes the next free name instead.</summary>
    private static readonly string[] ReaderLocals = { "reader", "writer", "value", "unknown", "name", RequiredSeen };

    /// <summary>
    /// The <c>ReadValue</c> local with a bit per required member read (<see cref="PropertyStorage.RequiredBit"/>):
    /// one <c>ulong</c> and one check after the loop, instead of a flag and a check per member.
    /// </summary>
    public const string RequiredSeen = "seen";

    private const int RequiredBits = 64;

    /// <summary>The field that keeps members the spec does not declare, in every model.</summary>
    private const string UnknownMembersField = "_additionalProperties";

    /// <summary><paramref name="properties"/> with the private names the model's code uses for each.</summary>
    public static List<PropertyModel> WithStorage(List<PropertyModel> properties)
    {
        var fields = new NameScope(new[] { UnknownMembersField });
        var locals = new NameScope(ReaderLocals);
        var result = new List<PropertyModel>(properties.Count);
        int bits = 0;
        foreach (PropertyModel p in properties)
        {
            string stem = Naming.Camel(p.Name).TrimStart('@');
            string local = locals.Claim(Naming.Camel(p.Name));
            int? bit = p.MustBeRead && bits < RequiredBits ? bits++ : null;
            string? flag = (p.MustBeRead && bit is null) || p.IsPresenceTracked ? locals.Claim("has" + Naming.Pascal(local.TrimStart('@'))) : null;
            string? field = p.IsPresenceTracked ? fields.Claim("_" + stem) : null;
            string? isSet = field is null ? null : fields.Claim(field + "IsSet");
            result.Add(p with { Storage = new PropertyStorage(local, flag, field, isSet, stem + "Value") { RequiredBit = bit } });
        }

        return result;
    }

    /// <summary>
    /// The C# name of a union's discriminator member (<c>Type</c>, <c>Event</c>), or null when the
    /// union has no discriminator or the name would clash with another of its members.
    /// </summary>
    public static string? DiscriminatorMember(string unionName, string? discriminatorProperty, IEnumerable<VariantModel> variants)
    {
        if (discriminatorProperty is null)
        {
            return null;
        }

        string name = Naming.Pascal(discriminatorProperty);
        var taken = new HashSet<string>(NameScope.ObjectMembers, StringComparer.Ordinal)
        {
            unionName, "Value", "IsUnknown", "FromUnknown", "Validate", NameScope.Converter, NameScope.VariantKind,
        };
        foreach (VariantModel variant in variants)
        {
            taken.Add("Is" + variant.Name);
            taken.Add("As" + variant.Name);
            taken.Add("From" + variant.Name);
        }

        return taken.Contains(name) ? null : name;
    }

    /// <summary>The names the client class gives its own members: no tag's property may take one.</summary>
    public static IEnumerable<string> ClientMembers(ClientModel client) =>
        new[] { client.Name, "Pipeline", "DefaultBaseAddress", "ServerAddress" }
            .Concat(NameScope.ObjectMembers)
            .Concat(client.Pollers.SelectMany(p => new[] { $"Poll{p.Name}Async", $"Is{p.Name}Done" }));

    /// <summary>
    /// The client with the private helpers of its class and of each tag's class named: the last
    /// step of the settings, once it is known which operations each class holds.
    /// </summary>
    public static ClientModel WithHelpers(ClientModel client)
    {
        var taken = ClientMembers(client).Concat(new[] { "_pipeline", "_client" }).Concat(client.Groups.Select(g => g.Property));
        (EquatableArray<OperationModel> operations, ClassHelpers helpers) = Helpers(client, client.Operations, taken);
        return client with
        {
            Operations = operations,
            Helpers = helpers,
            Groups = client.Groups.Select(group =>
            {
                (EquatableArray<OperationModel> groupOperations, ClassHelpers groupHelpers) =
                    Helpers(client, group.Operations, NameScope.ObjectMembers.Concat(new[] { group.ClassName, "Client", "_pipeline", "_client" }));
                return group with { Operations = groupOperations, Helpers = groupHelpers };
            }).ToEquatableArray(),
        };
    }

    /// <summary>
    /// Names the helpers of one class: a <c>Build{Name}Request</c> per operation, the nested
    /// classes that hold the error readers and security requirements, and their fields: one per
    /// distinct set, named after the first operation (errors) or the schemes (security).
    /// </summary>
    private static (EquatableArray<OperationModel> Operations, ClassHelpers Helpers) Helpers(ClientModel client, EquatableArray<OperationModel> operations, IEnumerable<string> taken)
    {
        // Every public method ends in Async or Done, but a tag's property or the class itself may be named anything.
        var members = new NameScope(taken.Concat(operations.SelectMany(o =>
            new[] { "Async", "WithResponseAsync", "StreamingAsync", "AutoPagingAsync", "AndPollAsync" }.Select(suffix => o.Name + suffix))));

        var errorFields = new NameScope(NameScope.ObjectMembers);
        // By set, not searched: a large document has thousands of operations and as many sets.
        var errorSets = new Dictionary<EquatableArray<ErrorResponseModel>, string>();
        var securityFields = new NameScope(NameScope.ObjectMembers);
        var securitySets = new Dictionary<EquatableArray<SecurityRequirementModel>, string>();
        var schemeFields = new List<NamedField>();
        var usedSets = operations.Where(o => o.Security is not null).Select(o => o.Security!.Value).Distinct().ToList();
        foreach (SecuritySchemeModel scheme in client.SecuritySchemes)
        {
            if (usedSets.Any(set => set.Any(r => r.Schemes.Any(u => u.Scheme == scheme.Name))))
            {
                schemeFields.Add(new NamedField(scheme.Name, securityFields.Claim(SchemeName(scheme) + "Scheme")));
            }
        }

        var schemes = client.SecuritySchemes.ToDictionary(s => s.Name, s => s, StringComparer.Ordinal);
        foreach (EquatableArray<SecurityRequirementModel> set in usedSets)
        {
            string name = set.Count == 0 ? "None"
                : string.Join("Or", set.Select(r => r.Schemes.Count == 0 ? "Anonymous" : string.Join("And", r.Schemes.Select(u => SchemeName(schemes[u.Scheme])))));
            securitySets.Add(set, securityFields.Claim(name));
        }

        var named = new List<OperationModel>(operations.Count);
        foreach (OperationModel operation in operations)
        {
            if (operation.Errors.Count > 0 && !errorSets.ContainsKey(operation.Errors))
            {
                errorSets.Add(operation.Errors, errorFields.Claim(operation.Name));
            }
        }

        // The tables first, then the builders in operation order: the order names were always claimed in.
        string? securityClass = usedSets.Count == 0 ? null : members.Claim("Security");
        string? errorClass = errorSets.Count == 0 ? null : members.Claim("ErrorBodies");
        foreach (OperationModel operation in operations)
        {
            named.Add(operation with
            {
                RequestBuilder = HasJsonMethods(operation) ? members.Claim($"Build{operation.Name}Request") : null,
                ResponseReader = HasJsonMethods(operation) && operation.ReadsWithLambda ? members.Claim($"Read{operation.Name}Response") : null,
                ErrorReaders = operation.Errors.Count == 0 ? null : errorSets[operation.Errors],
                SecurityRequirements = operation.Security is { } set ? securitySets[set] : null,
            });
        }

        return (named.ToEquatableArray(), new ClassHelpers(errorClass, securityClass, schemeFields.ToEquatableArray()));
    }

    // An operation that only streams has no JSON method, so no request builder and no reader.
    private static bool HasJsonMethods(OperationModel operation) => operation.Response is not null || operation.Stream is null;

    private static string SchemeName(SecuritySchemeModel scheme) => scheme.Property ?? Naming.Pascal(scheme.Name, "Scheme");
}
