namespace Amlfs.Consistency;

/// <summary>Which request served a logged feature vector.</summary>
public enum FeatureLogKind
{
    /// <summary><c>GET /features/...</c>: an entity's stored features as of now or <c>?at=</c>.</summary>
    Features,

    /// <summary><c>POST /predict</c> or <c>/batch-predict</c>: the features a score used, request features included.</summary>
    Predict,
}
