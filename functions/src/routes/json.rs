//! A JSON body extractor whose rejections use the API's error body.

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};

pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(rejection) => Err(ApiError::MalformedBody(rejection.body_text())),
        }
    }
}
