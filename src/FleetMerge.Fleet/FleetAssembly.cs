namespace FleetMerge.Fleet;

/// <summary>Marker for the Fleet assembly (serializer and test discovery).</summary>
public static class FleetAssembly;
