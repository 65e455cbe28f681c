export default function DiscoverPage() {
  return <div className="empty-state">Discover</div>;
}
