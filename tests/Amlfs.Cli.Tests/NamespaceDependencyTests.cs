using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Amlfs.Cli.Tests;

/// <summary>
/// The product's namespaces depend on each other one way: no namespace reaches back to one that depends on it, so
/// each can be read, tested and changed from the bottom up. A namespace depends on another when any of its types
/// refers to a type of the other anywhere in the compiled code: base types, members, signatures, attributes, or
/// an instruction of a method body (a call, a field, a cast, a local). The parent namespace counts like any other,
/// since C# lets a child use its parent's types without a using line.
/// </summary>
public sealed class NamespaceDependencyTests
{
    /// <summary>The product's assemblies, which the CLI references and the build copies beside the tests.</summary>
    private static readonly string[] Assemblies =
        ["Amlfs.Core", "Amlfs.Alerts", "Amlfs.Learning", "Amlfs.Parquet", "Amlfs.DuckDb", "Amlfs.Kafka", "Amlfs.Redis", "Amlfs.Server", "amlfs"];

    [Fact]
    public void Namespaces_depend_on_each_other_one_way()
    {
        var graph = NamespaceGraph.Read(Assemblies.Select(a => Path.Combine(AppContext.BaseDirectory, a + ".dll")));

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "Namespaces that depend on each other in a cycle:\n" + string.Join("\n", cycles.Select(graph.Describe)));
    }

    [Fact]
    public void The_check_sees_a_dependency_made_only_inside_a_method_body()
    {
        var graph = NamespaceGraph.Read([typeof(NamespaceDependencyTests).Assembly.Location]);

        Assert.Contains("Amlfs.Cli.Tests.Fixtures.Upper", graph.DependenciesOf("Amlfs.Cli.Tests.Fixtures.Lower"));
        Assert.Contains("Amlfs.Cli.Tests.Fixtures.Lower", graph.DependenciesOf("Amlfs.Cli.Tests.Fixtures.Upper"));
        Assert.Contains(graph.Cycles(), c => c.Contains("Amlfs.Cli.Tests.Fixtures.Lower") && c.Contains("Amlfs.Cli.Tests.Fixtures.Upper"));
    }

    /// <summary>Which Amlfs namespace refers to which, with one example type per edge, read from the metadata.</summary>
    private sealed class NamespaceGraph
    {
        private static readonly Dictionary<ushort, OpCode> OpCodes = typeof(System.Reflection.Emit.OpCodes)
            .GetFields().Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => (ushort)o.Value);

        private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

        public static NamespaceGraph Read(IEnumerable<string> paths)
        {
            var graph = new NamespaceGraph();
            foreach (var path in paths)
            {
                using var stream = File.OpenRead(path);
                using var pe = new PEReader(stream);
                graph.Add(pe);
            }

            return graph;
        }

        public IReadOnlyCollection<string> DependenciesOf(string ns) =>
            _edges.TryGetValue(ns, out var targets) ? targets.Keys : [];

        /// <summary>The strongly connected sets of two or more namespaces (Tarjan's algorithm).</summary>
        public List<List<string>> Cycles()
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var low = new Dictionary<string, int>(StringComparer.Ordinal);
            var stack = new Stack<string>();
            var onStack = new HashSet<string>(StringComparer.Ordinal);
            var cycles = new List<List<string>>();
            void Visit(string node)
            {
                index[node] = low[node] = index.Count;
                stack.Push(node);
                onStack.Add(node);
                foreach (var next in DependenciesOf(node))
                {
                    if (!index.ContainsKey(next))
                    {
                        Visit(next);
                        low[node] = Math.Min(low[node], low[next]);
                    }
                    else if (onStack.Contains(next))
                    {
                        low[node] = Math.Min(low[node], index[next]);
                    }
                }

                if (low[node] != index[node])
                    return;
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
            }

            foreach (var node in _edges.Keys.Order(StringComparer.Ordinal))
            {
                if (!index.ContainsKey(node))
                    Visit(node);
            }

            return cycles;
        }

        public string Describe(List<string> cycle) => string.Join("\n", cycle.SelectMany(from =>
            _edges[from].Where(e => cycle.Contains(e.Key)).Select(e => $"  {from} -> {e.Key} ({e.Value})")));

        private void Add(PEReader pe)
        {
            var reader = pe.GetMetadataReader();
            var provider = new NamespaceProvider(reader);
            foreach (var handle in reader.TypeDefinitions)
            {
                var from = NamespaceProvider.NamespaceOf(reader, handle);
                var type = reader.GetTypeDefinition(handle);
                var example = NamespaceProvider.OutermostName(reader, handle);
                void Refer(IEnumerable<string> namespaces)
                {
                    foreach (var to in namespaces)
                        AddEdge(from, to, example);
                }

                Refer(provider.OfHandle(type.BaseType));
                foreach (var i in type.GetInterfaceImplementations())
                    Refer(provider.OfHandle(reader.GetInterfaceImplementation(i).Interface));
                ReferAttributes(reader, provider, type.GetCustomAttributes(), Refer);
                foreach (var f in type.GetFields())
                {
                    var field = reader.GetFieldDefinition(f);
                    Refer(field.DecodeSignature(provider, null));
                    ReferAttributes(reader, provider, field.GetCustomAttributes(), Refer);
                }

                foreach (var m in type.GetMethods())
                {
                    var method = reader.GetMethodDefinition(m);
                    var signature = method.DecodeSignature(provider, null);
                    Refer(signature.ReturnType);
                    foreach (var p in signature.ParameterTypes)
                        Refer(p);
                    ReferAttributes(reader, provider, method.GetCustomAttributes(), Refer);
                    if (method.RelativeVirtualAddress != 0)
                        Refer(ReferencesInBody(pe, reader, provider, method.RelativeVirtualAddress));
                }

                foreach (var p in type.GetProperties())
                    Refer(reader.GetPropertyDefinition(p).DecodeSignature(provider, null).ReturnType);
            }
        }

        private static void ReferAttributes(MetadataReader reader, NamespaceProvider provider, CustomAttributeHandleCollection attributes, Action<IEnumerable<string>> refer)
        {
            foreach (var a in attributes)
                refer(provider.OfHandle(reader.GetCustomAttribute(a).Constructor));
        }

        /// <summary>Every type an instruction of the body names through a metadata token, and the locals' types.</summary>
        private static IEnumerable<string> ReferencesInBody(PEReader pe, MetadataReader reader, NamespaceProvider provider, int rva)
        {
            var body = pe.GetMethodBody(rva);
            var found = new List<string>();
            if (!body.LocalSignature.IsNil)
            {
                foreach (var local in reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null))
                    found.AddRange(local);
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                ushort value = il.ReadByte();
                if (value == 0xFE)
                    value = (ushort)(0xFE00 | il.ReadByte());
                var code = OpCodes[value];
                switch (code.OperandType)
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                        found.AddRange(provider.OfHandle(MetadataTokens.EntityHandle(il.ReadInt32())));
                        break;
                    case OperandType.InlineSwitch:
                        var targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    default:
                        il.Offset += 4; // branch targets, 32-bit constants, strings, call-site signatures
                        break;
                }
            }

            return found;
        }

        private void AddEdge(string from, string to, string example)
        {
            if (from == to || !from.StartsWith("Amlfs", StringComparison.Ordinal) || !to.StartsWith("Amlfs", StringComparison.Ordinal))
                return;
            if (!_edges.TryGetValue(from, out var targets))
                _edges[from] = targets = new Dictionary<string, string>(StringComparer.Ordinal);
            targets.TryAdd(to, example);
            _edges.TryAdd(to, new Dictionary<string, string>(StringComparer.Ordinal));
        }
    }

    /// <summary>Decodes signatures into the namespaces of the named types they mention.</summary>
    private sealed class NamespaceProvider(MetadataReader reader) : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        /// <summary>The name of the outermost type that declares <paramref name="handle"/> (itself when not nested).</summary>
        public static string OutermostName(MetadataReader reader, TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            while (type.IsNested)
                type = reader.GetTypeDefinition(type.GetDeclaringType());
            return reader.GetString(type.Name);
        }

        public static string NamespaceOf(MetadataReader reader, TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            // A nested type (a closure, a state machine) belongs to the namespace of its outermost declaring type.
            while (type.IsNested)
                type = reader.GetTypeDefinition(type.GetDeclaringType());
            return reader.GetString(type.Namespace);
        }

        public ImmutableArray<string> OfHandle(EntityHandle handle)
        {
            if (handle.IsNil)
                return [];
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [NamespaceOf(reader, (TypeDefinitionHandle)handle)];
                case HandleKind.TypeReference:
                    return [NamespaceOfReference((TypeReferenceHandle)handle)];
                case HandleKind.TypeSpecification:
                    return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.FieldDefinition:
                    return [NamespaceOf(reader, reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())];
                case HandleKind.MethodDefinition:
                    return [NamespaceOf(reader, reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType())];
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return [.. OfHandle(specification.Method), .. specification.DecodeSignature(this, null).SelectMany(t => t)];
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    var parent = OfHandle(member.Parent);
                    return member.GetKind() == MemberReferenceKind.Field
                        ? [.. parent, .. member.DecodeFieldSignature(this, null)]
                        : [.. parent, .. Flatten(member.DecodeMethodSignature(this, null))];
                default:
                    return [];
            }
        }

        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) => Flatten(signature);

        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(t => t)];

        public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => [];

        public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => [];

        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => unmodifiedType;

        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];

        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [NamespaceOf(reader, handle)];

        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [NamespaceOfReference(handle)];

        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        private static ImmutableArray<string> Flatten(MethodSignature<ImmutableArray<string>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];

        private string NamespaceOfReference(TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            while (type.ResolutionScope.Kind == HandleKind.TypeReference)
                type = reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
            return reader.GetString(type.Namespace);
        }
    }
}
