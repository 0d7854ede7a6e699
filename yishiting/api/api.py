from ninja import NinjaAPI

api = NinjaAPI(title="议事厅 API", version="1", urls_namespace="api")
